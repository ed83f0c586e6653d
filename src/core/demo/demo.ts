import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokens, TwinboxError, type Clock, type CommandRunner, type DiskFormat } from '../../plugin-api/index.js';
import { installRoot } from '../install-root.js';
import type { Core } from '../open-core.js';
import { installPackage } from '../package/install/install-package.js';
import { findInstalled } from '../package/install/installed-entry.js';
import { packWorkspace } from '../package/pack.js';
import { uninstallWorkspace } from '../package/uninstall.js';
import type { TwinboxPaths } from '../paths.js';
import { readCatalog, type CatalogApp } from '../setup/app-catalog.js';
import type { SetupProgressEvent } from '../setup/progress-events.js';
import { runSetup } from '../setup/setup-workspace.js';
import { CoreTokens } from '../tokens.js';
import { waitForGuestAgent } from '../workspace/guest-agent-connection.js';
import { loadManifest } from '../workspace/load-manifest.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { resetWorkspace } from '../workspace/reset-workspace.js';
import { startWorkspace } from '../workspace/start-workspace.js';
import { buildFakeGuestImage } from './fake-guest-image.js';

export type DemoHypervisorChoice = 'auto' | 'qemu' | 'fake';

export interface DemoStep {
  message: string;
}

export interface DemoResult {
  /** The installed workspace the demo set up (`twinbox status demo`, the dashboard). */
  workspace: string;
  hypervisor: string;
  simulated: boolean;
  /** Why the fake was used when QEMU was not. */
  fallbackReason?: string;
  vmId: string;
  state: string;
  agentReadyMs: number;
  os: string;
  hostName: string;
  /** The workspace's published apps. */
  apps: CatalogApp[];
  helloOutput: string;
}

export const DEMO_WORKSPACE = 'demo';
const DEMO_VERSION = '1.0.0';
const AGENT_TIMEOUT_MS = 120_000;

/**
 * Where the demo keeps the tiny real guest it builds: TWINBOX_GUEST_CACHE, else the user's
 * cache folder (XDG_CACHE_HOME/twinbox, or TWINBOX_HOME/cache) — never the installation folder,
 * which may be read-only. A repository checkout's own build (`scripts/build-tiny-guest.sh`
 * writes .cache/tiny-guest) is used when it is there.
 */
export function tinyGuestCache(env: NodeJS.ProcessEnv, paths: TwinboxPaths): string {
  if (env.TWINBOX_GUEST_CACHE) return env.TWINBOX_GUEST_CACHE;
  const checkout = join(installRoot(), '.cache', 'tiny-guest');
  if (existsSync(join(checkout, 'tiny-guest.qcow2'))) return checkout;
  return join(paths.cacheDir, 'tiny-guest');
}

/** The tiny real guest built by scripts/build-tiny-guest.sh, if it has been built. */
export function tinyGuestImage(env: NodeJS.ProcessEnv, paths: TwinboxPaths): string | undefined {
  const image = join(tinyGuestCache(env, paths), 'tiny-guest.qcow2');
  return existsSync(image) ? image : undefined;
}

/** Builds the tiny real guest (Debian packages, ~10 s, needs apt lists) when it is missing. */
async function buildTinyGuest(runner: CommandRunner, env: NodeJS.ProcessEnv, paths: TwinboxPaths, onStep: (step: DemoStep) => void): Promise<string | undefined> {
  onStep({ message: 'building the tiny real guest from Debian packages (first run only)' });
  const script = join(installRoot(), 'scripts', 'build-tiny-guest.sh');
  const result = await runner.run('bash', [script], { env: { TWINBOX_GUEST_CACHE: tinyGuestCache(env, paths) }, timeoutMs: 600_000 });
  if (result.exitCode !== 0) {
    onStep({ message: `could not build the tiny guest: ${result.stderr.trim().split('\n').pop() ?? 'unknown error'}` });
    return undefined;
  }
  return tinyGuestImage(env, paths);
}

interface ChosenHypervisor {
  name: string;
  /** QEMU's tiny real guest; the fake's simulated guest is built on the spot. */
  image?: string;
  fallbackReason?: string;
}

async function chooseHypervisor(core: Core, choice: DemoHypervisorChoice, env: NodeJS.ProcessEnv, onStep: (step: DemoStep) => void): Promise<ChosenHypervisor> {
  if (choice !== 'fake') {
    const qemu = await core.plugins.availability('qemu');
    const paths = core.container.resolve<TwinboxPaths>(CoreTokens.Paths);
    let image = tinyGuestImage(env, paths);
    if (qemu.usable && !image) image = await buildTinyGuest(core.container.resolve<CommandRunner>(Tokens.CommandRunner), env, paths, onStep);
    if (qemu.usable && image) return { name: 'qemu', image };
    const reason = !qemu.usable ? `QEMU is not usable: ${qemu.reason}` : 'the tiny real guest could not be built (see scripts/build-tiny-guest.sh)';
    if (choice === 'qemu') throw new TwinboxError('demo-qemu-unavailable', reason, { hint: 'run `twinbox doctor`, or use `twinbox demo --fake`' });
    return { name: 'fake', fallbackReason: reason };
  }
  return { name: 'fake', fallbackReason: 'asked for the fake hypervisor' };
}

/** The hypervisor an installed demo package was made for (its only allowed one). */
async function installedFor(core: Core): Promise<string | undefined> {
  const entry = findInstalled(core.container.resolve<TwinboxPaths>(CoreTokens.Paths), DEMO_WORKSPACE);
  if (!entry) return undefined;
  const manifest = await loadManifest(entry.storeDir, DEMO_WORKSPACE);
  return manifest.hypervisors.allowed[0] ?? '';
}

/**
 * Packs and installs the demo package as an administrator's software distribution would: a
 * workspace.json and a guest image (QEMU's tiny real guest, or the simulated one), through
 * `twinbox pack` and `twinbox install`'s own code.
 */
async function installDemo(core: Core, chosen: ChosenHypervisor, onStep: (step: DemoStep) => void): Promise<void> {
  const paths = core.container.resolve<TwinboxPaths>(CoreTokens.Paths);
  const work = join(paths.dataDir, 'demo-package');
  const source = join(work, 'source');
  await rm(work, { recursive: true, force: true });
  await mkdir(source, { recursive: true, mode: 0o700 });
  try {
    let image: { file: string; format: DiskFormat };
    if (chosen.image) {
      await copyFile(chosen.image, join(source, 'disk.qcow2'));
      image = { file: 'disk.qcow2', format: 'qcow2' };
    } else {
      onStep({ message: 'building the simulated demo guest image' });
      await buildFakeGuestImage(core.container.resolve<CommandRunner>(Tokens.CommandRunner), join(source, 'guest.tar'));
      image = { file: 'guest.tar', format: 'raw' };
    }
    const manifest = {
      name: DEMO_WORKSPACE,
      version: DEMO_VERSION,
      description: chosen.image ? 'the tiny real guest on QEMU' : 'a simulated guest on the fake hypervisor',
      image: { ...image, sha256: 'auto' },
      vm: { memoryMiB: 256, cpus: 1, network: 'none' },
      hypervisors: { allowed: [chosen.name] },
      setup: { mode: 'unattended', computerName: 'demo-guest' },
    };
    await writeFile(join(source, 'workspace.json'), JSON.stringify(manifest, null, 2));
    const file = join(work, `${DEMO_WORKSPACE}-${DEMO_VERSION}.twbx`);
    onStep({ message: `packing and installing the "${DEMO_WORKSPACE}" workspace package` });
    await packWorkspace({ sourceDir: source, outFile: file });
    await installPackage(core, file);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Installs and sets up a workspace named "demo" on the best hypervisor here (QEMU with the tiny
 * real guest, or the fake one, labelled simulated), starts it, then shows the guest agent and
 * the guest's published apps at work. A second run reuses the workspace.
 */
export async function runDemo(core: Core, choice: DemoHypervisorChoice, onStep: (step: DemoStep) => void, env = process.env): Promise<DemoResult> {
  const chosen = await chooseHypervisor(core, choice, env, onStep);
  const hypervisor = await core.plugins.hypervisor(chosen.name);
  onStep({ message: `hypervisor: ${hypervisor.displayName}${chosen.fallbackReason ? ` (${chosen.fallbackReason})` : ''}` });
  const madeFor = await installedFor(core);
  if (madeFor !== undefined && madeFor !== chosen.name) {
    onStep({ message: `removing the demo made for ${madeFor || 'another hypervisor'}` });
    await uninstallWorkspace(core, DEMO_WORKSPACE);
  }
  if (madeFor !== chosen.name) await installDemo(core, chosen, onStep);

  const setupProgress = { onProgress: (event: SetupProgressEvent) => event.type === 'step-started' && onStep({ message: `setup: ${event.title}` }) };
  const { state } = openWorkspace(core, DEMO_WORKSPACE).entry().setup;
  if (state === 'failed') {
    onStep({ message: 'the last setup failed: resetting the demo workspace' });
    await resetWorkspace(core, DEMO_WORKSPACE, setupProgress);
  } else if (state !== 'ready') {
    onStep({ message: 'running first-time setup' });
    await runSetup(core, DEMO_WORKSPACE, setupProgress);
  }
  await startWorkspace(core, DEMO_WORKSPACE, { onProgress: (message) => onStep({ message }), agentTimeoutMs: AGENT_TIMEOUT_MS });
  return show(core, chosen.fallbackReason);
}

async function show(core: Core, fallbackReason: string | undefined): Promise<DemoResult> {
  const ws = openWorkspace(core, DEMO_WORKSPACE);
  const entry = ws.entry();
  const hypervisor = await core.plugins.hypervisor(entry.hypervisor!);
  const vm = entry.vm!;
  const manifest = await loadManifest(entry.storeDir, DEMO_WORKSPACE);
  const agentPlugin = await core.plugins.guestAgent(manifest.guestAgent.plugin);
  const started = Date.now();
  const session = await waitForGuestAgent(hypervisor, agentPlugin, vm, manifest.guestAgent.channel, {
    timeoutMs: AGENT_TIMEOUT_MS,
    clock: core.container.resolve<Clock>(Tokens.Clock),
  });
  try {
    const agentReadyMs = Date.now() - started;
    const os = await session.osInfo();
    const hostName = await session.hostName();
    const apps = (await readCatalog(ws.layout))?.apps ?? [];
    const hello = apps.find((app) => app.kind === 'command');
    let helloOutput = '';
    if (hello) {
      const result = await session.exec({ path: hello.command[0]!, args: [...hello.command.slice(1), 'from', 'the', 'host'], timeoutMs: 30_000 });
      helloOutput = Buffer.from(result.stdout).toString('utf8');
    }
    const state = await hypervisor.state(vm);
    return {
      workspace: DEMO_WORKSPACE,
      hypervisor: hypervisor.name,
      simulated: hypervisor.simulated,
      fallbackReason,
      vmId: vm.id,
      state: state.state,
      agentReadyMs,
      os: os.prettyName ?? os.name,
      hostName,
      apps,
      helloOutput,
    };
  } finally {
    await session.close();
  }
}

/** Uninstalls the demo workspace: its VM, package and folder. */
export async function removeDemo(core: Core, onStep: (step: DemoStep) => void): Promise<boolean> {
  if (!findInstalled(core.container.resolve<TwinboxPaths>(CoreTokens.Paths), DEMO_WORKSPACE)) return false;
  onStep({ message: `uninstalling the "${DEMO_WORKSPACE}" workspace with its VM` });
  await uninstallWorkspace(core, DEMO_WORKSPACE);
  return true;
}
