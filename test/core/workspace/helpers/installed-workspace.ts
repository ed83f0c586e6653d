import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { ExecutionContext } from 'ava';
import type { PluginPaths } from 'twinbox/plugin-api';
import { openCore, type Core } from '../../../../src/core/open-core.js';
import type { WorkspaceManifestInput } from '../../../../src/core/package/manifest-schema.js';
import { resolvePaths } from '../../../../src/core/paths.js';
import { ExecaCommandRunner } from '../../../../src/core/process/execa-runner.js';
import { WorkspaceRegistry, type WorkspaceEntry } from '../../../../src/core/workspace/registry.js';
import { FakeHypervisor } from '../../../../plugins/fake/index.js';
import { makeTarImage, realClock } from '../../../plugins/fake/helpers/fake-fixture.js';
import { tempDir } from '../../../helpers/temp.js';

/** A guest with three apps: one to keep, one an exclude rule drops, one an include rule does not name. */
export const GUEST_FILES: Record<string, string> = {
  'etc/os-release': 'ID=twinbox-test\nNAME="twinbox test guest"\nPRETTY_NAME="twinbox test guest (simulated)"\n',
  'etc/hostname': 'base-image\n',
  'usr/bin/hello': '#!/bin/sh\necho hello\n',
  'usr/share/applications/hello.desktop': '[Desktop Entry]\nType=Application\nName=Hello\nExec=/usr/bin/hello\nX-Twinbox-Kind=command\n',
  'usr/share/applications/editor.desktop': '[Desktop Entry]\nType=Application\nName=Text Editor\nExec=/usr/bin/editor\n',
  'usr/share/applications/debug-console.desktop': '[Desktop Entry]\nType=Application\nName=Debug Console\nExec=/usr/bin/debug\nTerminal=true\n',
  'var/log/.keep': '',
};

/** A script that leaves a trace in the guest, so a test sees it ran and how often. */
export function tracingScript(label: string, extra = ''): string {
  return `#!/bin/sh\necho "${label} running in $TWINBOX_WORKSPACE as $TWINBOX_COMPUTER_NAME"\necho "${label}" >> "\${TWINBOX_GUEST_ROOT:-}/var/log/setup-runs"\n${extra}`;
}

export interface InstallOptions {
  name?: string;
  version?: string;
  /** Merged over the defaults; `setup` and `publishing` are merged one level deep. */
  manifest?: Partial<WorkspaceManifestInput>;
  /** Package path → content; listed in setup.scripts in this order unless the manifest lists them. */
  scripts?: Record<string, string>;
  files?: Record<string, string>;
  /** A ready disk image to copy into the store instead of a tar of `files` (set manifest.image to match). */
  imageFile?: string;
}

export interface TestHome {
  home: string;
  env: NodeJS.ProcessEnv;
  core(): Core;
  install(options?: InstallOptions): Promise<WorkspaceEntry>;
  registry(): WorkspaceRegistry;
  /** The fake hypervisor as the core's plugin loader makes it, for fault injection. */
  fake(): FakeHypervisor;
  workspaceDir(name: string): string;
  /** The VM's guest filesystem on the host. */
  guestRoot(name: string): string;
  /** Removes every fake VM of this home; idempotent. */
  removeVms(): Promise<void>;
  /** Live processes whose command line names this home (fake guests, stray CLIs). */
  leftoverProcesses(): Promise<string[]>;
}

const exec = promisify(execFile);

/**
 * A TWINBOX_HOME for one test, where workspaces are "installed" directly (store folder with
 * workspace.json, image and scripts, plus a pending registry entry) as `twinbox install` would.
 * Every VM made in it is removed when the test ends.
 */
export function testHome(t: ExecutionContext): TestHome {
  const home = tempDir(t, 'tbx-ws-');
  const env: NodeJS.ProcessEnv = { ...process.env, TWINBOX_HOME: home, TWINBOX_TEST: '1' };
  delete env.CI;
  const paths = resolvePaths(env);
  const pluginPaths: PluginPaths = {
    dataDir: join(paths.dataDir, 'plugins', 'fake'),
    cacheDir: join(paths.cacheDir, 'plugins', 'fake'),
    runtimeDir: join(paths.runtimeDir, 'fake'),
  };
  const fake = new FakeHypervisor(new ExecaCommandRunner(), pluginPaths, realClock);
  let core: Core | undefined;

  const removeVms = async () => {
    for (const [id, vmDir] of Object.entries(await fake.listVms())) await fake.remove({ id, vmDir });
  };
  t.teardown(async () => {
    await removeVms();
    await rm(paths.runtimeDir, { recursive: true, force: true });
  });

  return {
    home,
    env,
    core: () => (core ??= openCore({ env })),
    registry: () => new WorkspaceRegistry(paths.dataDir),
    fake: () => fake,
    workspaceDir: (name) => join(paths.dataDir, 'workspaces', name),
    guestRoot: (name) => join(paths.dataDir, 'workspaces', name, 'vm', 'root'),
    removeVms,
    async leftoverProcesses() {
      try {
        const { stdout } = await exec('pgrep', ['-af', home]);
        return stdout.split('\n').filter((line) => line.trim() !== '' && !line.includes('pgrep'));
      } catch {
        return [];
      }
    },
    async install(options = {}) {
      const name = options.name ?? 'office';
      const version = options.version ?? '1.0.0';
      const storeDir = join(paths.dataDir, 'store', name, version);
      // Opened before the package is in the store, as an install holding the lock would be: a
      // registry missing in a fresh home is otherwise rebuilt from this very package.
      const registry = new WorkspaceRegistry(paths.dataDir);
      await mkdir(storeDir, { recursive: true });
      let imagePath: string;
      if (options.imageFile) {
        imagePath = join(storeDir, basename(options.imageFile));
        await copyFile(options.imageFile, imagePath);
      } else {
        imagePath = await makeTarImage(storeDir, options.files ?? GUEST_FILES, 'guest.tar');
      }
      const scripts = options.scripts ?? {};
      for (const [path, content] of Object.entries(scripts)) {
        await mkdir(join(storeDir, path, '..'), { recursive: true });
        await writeFile(join(storeDir, path), content, { mode: 0o644 });
      }
      const extra = options.manifest ?? {};
      const manifest: WorkspaceManifestInput = {
        name,
        version,
        image: { file: 'guest.tar', format: 'raw', sha256: '0'.repeat(64), os: 'linux' },
        vm: { memoryMiB: 256, cpus: 1, network: 'none' },
        hypervisors: { allowed: ['fake'], preferred: ['fake'] },
        ...extra,
        setup: { scripts: Object.keys(scripts), ...extra.setup },
        publishing: { autoDiscover: true, include: [], exclude: [], apps: [], ...extra.publishing },
      };
      await writeFile(join(storeDir, 'workspace.json'), JSON.stringify(manifest, null, 2));
      const entry: WorkspaceEntry = {
        name,
        version,
        description: '',
        installedAt: new Date().toISOString(),
        storeDir,
        imagePath,
        setup: { state: 'pending' },
      };
      registry.put(entry);
      return entry;
    },
  };
}
