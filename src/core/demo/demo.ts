import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Tokens,
  TwinboxError,
  type Clock,
  type CommandRunner,
  type DiskFormat,
  type GuestApp,
  type HypervisorPlugin,
  type VmRef,
} from '../../plugin-api/index.js';
import { installRoot } from '../install-root.js';
import type { Core } from '../open-core.js';
import type { TwinboxPaths } from '../paths.js';
import { CoreTokens } from '../tokens.js';
import { waitForGuestAgent } from '../workspace/guest-agent-connection.js';
import { buildFakeGuestImage } from './fake-guest-image.js';

export type DemoHypervisorChoice = 'auto' | 'qemu' | 'fake';

export interface DemoStep {
  message: string;
}

export interface DemoResult {
  hypervisor: string;
  simulated: boolean;
  /** Why the fake was used when QEMU was not. */
  fallbackReason?: string;
  vmId: string;
  state: string;
  agentReadyMs: number;
  os: string;
  hostName: string;
  apps: GuestApp[];
  helloOutput: string;
}

interface DemoRecord {
  hypervisor: string;
  vm: VmRef;
}

const VM_ID = 'demo';
const BOOT_TIMEOUT_MS = 120_000;

/** The tiny real guest built by scripts/build-tiny-guest.sh, if it has been built. */
export function tinyGuestImage(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const cache = env.TWINBOX_GUEST_CACHE ?? join(installRoot(), '.cache', 'tiny-guest');
  const image = join(cache, 'tiny-guest.qcow2');
  return existsSync(image) ? image : undefined;
}

/** Builds the tiny real guest (Debian packages, ~10 s, needs apt lists) when it is missing. */
async function buildTinyGuest(runner: CommandRunner, env: NodeJS.ProcessEnv, onStep: (step: DemoStep) => void): Promise<string | undefined> {
  onStep({ message: 'building the tiny real guest from Debian packages (first run only)' });
  const script = join(installRoot(), 'scripts', 'build-tiny-guest.sh');
  const result = await runner.run('bash', [script], { env: { TWINBOX_GUEST_CACHE: env.TWINBOX_GUEST_CACHE }, timeoutMs: 600_000 });
  if (result.exitCode !== 0) {
    onStep({ message: `could not build the tiny guest: ${result.stderr.trim().split('\n').pop() ?? 'unknown error'}` });
    return undefined;
  }
  return tinyGuestImage(env);
}

async function chooseHypervisor(core: Core, choice: DemoHypervisorChoice, env: NodeJS.ProcessEnv, onStep: (step: DemoStep) => void) {
  if (choice !== 'fake') {
    const qemu = await core.plugins.availability('qemu');
    let image = tinyGuestImage(env);
    if (qemu.usable && !image) image = await buildTinyGuest(core.container.resolve<CommandRunner>(Tokens.CommandRunner), env, onStep);
    if (qemu.usable && image) return { name: 'qemu', image, format: 'qcow2' as DiskFormat };
    const reason = !qemu.usable ? `QEMU is not usable: ${qemu.reason}` : 'the tiny real guest could not be built (see scripts/build-tiny-guest.sh)';
    if (choice === 'qemu') throw new TwinboxError('demo-qemu-unavailable', reason, { hint: 'run `twinbox doctor`, or use `twinbox demo --fake`' });
    return { name: 'fake', fallbackReason: reason };
  }
  return { name: 'fake', fallbackReason: 'asked for the fake hypervisor' };
}

/**
 * Sets up and starts a demo VM on the best hypervisor here (QEMU with the tiny real guest, or
 * the fake one, labelled simulated), then shows the guest agent and the guest's apps at work.
 */
export async function runDemo(core: Core, choice: DemoHypervisorChoice, onStep: (step: DemoStep) => void, env = process.env): Promise<DemoResult> {
  const paths = core.container.resolve<TwinboxPaths>(CoreTokens.Paths);
  const runner = core.container.resolve<CommandRunner>(Tokens.CommandRunner);
  const demoDir = join(paths.dataDir, 'demo');
  const recordPath = join(demoDir, 'demo.json');
  const chosen = await chooseHypervisor(core, choice, env, onStep);
  const hypervisor = await core.plugins.hypervisor(chosen.name);
  onStep({ message: `hypervisor: ${hypervisor.displayName}${chosen.fallbackReason ? ` (${chosen.fallbackReason})` : ''}` });

  let record = await readRecord(recordPath);
  if (record && record.hypervisor !== hypervisor.name) {
    await removeDemo(core, () => undefined);
    record = undefined;
  }
  if (record && (await hypervisor.state(record.vm)).state === 'not-created') record = undefined;
  if (!record) {
    await mkdir(demoDir, { recursive: true, mode: 0o700 });
    let source = chosen.image;
    let format: DiskFormat = chosen.format ?? 'raw';
    if (!source) {
      source = join(demoDir, 'demo-guest.tar');
      onStep({ message: 'building the simulated demo guest image' });
      await buildFakeGuestImage(runner, source);
      format = 'raw';
    }
    onStep({ message: 'importing the guest image' });
    const image = await hypervisor.importImage({ source, format, destinationDir: join(demoDir, 'base') });
    onStep({ message: `creating VM "${VM_ID}"` });
    const vm = await hypervisor.create({
      id: VM_ID,
      image,
      vmDir: join(demoDir, 'vm'),
      memoryMiB: 256,
      cpus: 1,
      network: 'none',
      channels: ['org.qemu.guest_agent.0'],
      consoles: 1,
      guestOs: 'linux',
    });
    record = { hypervisor: hypervisor.name, vm };
    await writeFile(recordPath, JSON.stringify(record, null, 2), { mode: 0o600 });
  }
  return startAndShow(core, hypervisor, record.vm, chosen.fallbackReason, onStep);
}

async function startAndShow(core: Core, hypervisor: HypervisorPlugin, vm: VmRef, fallbackReason: string | undefined, onStep: (step: DemoStep) => void): Promise<DemoResult> {
  const before = await hypervisor.state(vm);
  if (before.state !== 'running') {
    onStep({ message: `starting (was ${before.state})` });
    if (before.state === 'paused' || before.state === 'suspended') await hypervisor.resume(vm);
    else await hypervisor.start(vm, { timeoutMs: BOOT_TIMEOUT_MS });
  }
  const agentPlugin = await core.plugins.guestAgent('qga');
  const started = Date.now();
  onStep({ message: 'waiting for the guest agent' });
  // The same wait as a workspace start: retries while the guest boots, gives up when the VM died.
  const session = await waitForGuestAgent(hypervisor, agentPlugin, vm, agentPlugin.channelName, {
    timeoutMs: BOOT_TIMEOUT_MS,
    clock: core.container.resolve<Clock>(Tokens.Clock),
  });
  try {
    const agentReadyMs = Date.now() - started;
    const os = await session.osInfo();
    const hostName = await session.hostName();
    const apps = await session.listApps();
    const hello = apps.find((app) => app.kind === 'command');
    let helloOutput = '';
    if (hello) {
      onStep({ message: `running the command app "${hello.name}" in the guest` });
      const result = await session.exec({ path: hello.command[0]!, args: [...hello.command.slice(1), 'from', 'the', 'host'], timeoutMs: 30_000 });
      helloOutput = Buffer.from(result.stdout).toString('utf8');
    }
    const state = await hypervisor.state(vm);
    return {
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

async function readRecord(path: string): Promise<DemoRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as DemoRecord;
  } catch {
    return undefined;
  }
}

/** Stops and deletes the demo VM and its files. */
export async function removeDemo(core: Core, onStep: (step: DemoStep) => void): Promise<boolean> {
  const paths = core.container.resolve<TwinboxPaths>(CoreTokens.Paths);
  const demoDir = join(paths.dataDir, 'demo');
  const record = await readRecord(join(demoDir, 'demo.json'));
  if (record) {
    const hypervisor = await core.plugins.hypervisor(record.hypervisor);
    onStep({ message: `removing VM "${record.vm.id}" from ${hypervisor.displayName}` });
    await hypervisor.remove(record.vm);
  }
  await rm(demoDir, { recursive: true, force: true });
  return record !== undefined;
}
