/**
 * The artifact itself, as users get it: `npm pack` of this checkout, installed with
 * `npm install -g` into a fresh prefix, then the README's journey run from the installed command
 * (by a user who cannot write to that prefix), `npx` of the tarball, and an outside plugin
 * project that depends on the tarball, runs the hypervisor conformance suite from
 * `twinbox/testing` on its own plugin, and is then loaded by the installed twinbox.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ok, run as runProgram, type Run, type RunOptions } from '../helpers/processes.js';
import { runAs, throwawayUser, whyNoThrowawayUsers, type ThrowawayUser } from '../helpers/throwaway-users.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const work = mkdtempSync(join(tmpdir(), 'tbx-pkg-'));
// Other users must reach the prefix (read-only to them) and their own home below it.
chmodSync(work, 0o755);
test.after.always(() => rmSync(work, { recursive: true, force: true }));

/** Programs run in the test's folder unless told otherwise, with time for npm. */
const run = (program: string, args: string[], options: RunOptions = {}): Promise<Run> => runProgram(program, args, { cwd: work, timeoutMs: 180_000, ...options });

const npm = (args: string[], cwd = work) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env: { CI: 'true' } });

/** Bytes of every file below `dir`, and the folders holding a package.json of their own (the packages). */
function footprint(dir: string): { bytes: number; packages: number } {
  let bytes = 0;
  let packages = 0;
  const walk = (at: string, inModules: boolean) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        const isPackage = inModules && existsSync(join(path, 'package.json'));
        if (isPackage) packages++;
        walk(path, entry.name === 'node_modules' || (inModules && entry.name.startsWith('@')));
      } else if (entry.isFile()) bytes += statSync(path).size;
    }
  };
  walk(dir, dir.endsWith('node_modules'));
  return { bytes, packages };
}

// `npm test` has built the checkout: pack what is built (prepack would build it again under
// the other tests' feet).
const packed = (async () => {
  const out = join(work, 'pack');
  mkdirSync(out);
  const result = ok(await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: repo }), 'npm pack');
  const [info] = JSON.parse(result.stdout) as { filename: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] }[];
  return { ...info!, tarball: join(out, info!.filename) };
})();

test.serial('the tarball holds what runs and nothing of tests, benches, CI or sources', async (t) => {
  const { files, size, entryCount, unpackedSize } = await packed;
  const paths = files.map((file) => file.path);
  t.log(`tarball: ${size} bytes, ${entryCount} files, ${unpackedSize} bytes unpacked`);
  for (const needed of [
    'LICENSE',
    'README.md',
    'package.json',
    'bin/twinbox.js',
    'build/dist/cli.js',
    'build/dist/plugin-api.js',
    'build/dist/testing.js',
    'build/dist/THIRD-PARTY-NOTICES.md',
    'build/src/plugin-api/index.d.ts',
    'build/src/testing/index.d.ts',
    'build/plugins/fake/guest/main.js',
    'schema/workspace.schema.json',
    'scripts/build-tiny-guest.sh',
    'build/man/twinbox.1',
  ]) {
    t.true(paths.includes(needed), `${needed} is in the tarball`);
  }
  for (const plugin of ['fake', 'qemu', 'qga', 'virtualbox', 'hyperv']) {
    t.true(paths.includes(`build/plugins/${plugin}/package.json`), `${plugin}'s manifest`);
    t.true(paths.includes(`build/plugins/${plugin}/plugin.bundle.js`), `${plugin}'s bundle`);
  }
  const stray = paths.filter((path) => /^(test|bench|\.ci|src|plugins)\//.test(path) || (/\.ts$/.test(path) && !/\.d\.ts$/.test(path)) || /\.map$/.test(path) || path.startsWith('build/test/') || path.startsWith('build/bench/'));
  t.deepEqual(stray, [], 'no tests, benches, CI, TypeScript sources or source maps');
  t.true(paths.some((path) => path.startsWith('share/applications/')) && paths.some((path) => path.startsWith('contrib/systemd/')));
});

interface Installed {
  prefix: string;
  bin: string;
}

const installed = (async (): Promise<Installed> => {
  const { tarball } = await packed;
  const prefix = join(work, 'prefix');
  ok(await npm(['install', '--global', '--prefix', prefix, '--offline', tarball]), 'npm install -g');
  return { prefix, bin: join(prefix, 'bin', 'twinbox') };
})();

test.serial('npm install -g of the tarball: one package, within 15 MB, with no dependency to fetch', async (t) => {
  const { prefix } = await installed;
  const root = join(prefix, 'lib', 'node_modules');
  t.deepEqual(readdirSync(root), ['twinbox']);
  const { bytes, packages } = footprint(root);
  t.log(`installed: ${(bytes / 1024 / 1024).toFixed(1)} MB in ${packages} package(s)`);
  t.true(bytes <= 15 * 1024 * 1024, `${bytes} bytes installed`);
  t.true(packages <= 10, `${packages} packages`);
  const manifest = JSON.parse(readFileSync(join(root, 'twinbox', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  t.deepEqual(manifest.dependencies ?? {}, {}, 'everything it runs is in its bundles');
  t.true(existsSync(join(prefix, 'share', 'man', 'man1', 'twinbox.1')), 'npm linked the man page twinbox(1) into the prefix');
});

/** The README's journey from the installed command, by someone who cannot write to its prefix. */
test.serial("the README's journey runs from the installed twinbox, its installation folder read-only", async (t) => {
  const { prefix, bin } = await installed;
  const home = join(work, 'home');
  mkdirSync(home);
  const policy = join(work, 'no-policy');
  mkdirSync(policy);
  const nodeDir = dirname(process.execPath);
  const env = { HOME: home, PATH: `${join(prefix, 'bin')}:${nodeDir}:/usr/local/bin:/usr/bin:/bin`, TWINBOX_POLICY_DIR: policy, LANG: 'C.UTF-8' };
  let as: (args: string[]) => Promise<Run>;
  const noUsers = whyNoThrowawayUsers();
  if (noUsers === undefined) {
    // Installed by root, run by a user: the prefix is read-only to them, as a global install is.
    const user: ThrowawayUser = throwawayUser(t, 'tbxpkg');
    chownSync(home, user.uid, user.gid);
    t.log(`run as ${user.name} (uid ${user.uid}), who cannot write to ${prefix}`);
    as = (args) => runAs(user, bin, args, env);
  } else {
    t.log(`${noUsers}: the prefix is made read-only instead`);
    execFileSync('chmod', ['-R', 'a-w', prefix]);
    t.teardown(() => execFileSync('chmod', ['-R', 'u+w', prefix]));
    as = (args) => run(bin, args, { env: { ...env, TWINBOX_HOME: '', XDG_CONFIG_HOME: '', XDG_DATA_HOME: '', XDG_CACHE_HOME: '' } });
  }
  const before = footprint(prefix).bytes;

  const versionRun = await as(['--version']);
  t.is(versionRun.exitCode, 0, versionRun.stderr);
  t.is(versionRun.stdout, `${version}\n`);

  const doctor = await as(['doctor', '--json']);
  t.true([0, 1].includes(doctor.exitCode), doctor.stderr);
  const { checks } = JSON.parse(doctor.stdout) as { checks: { check: string; status: string }[] };
  t.truthy(checks.find((check) => check.check === 'plugin fake' && check.status === 'ok'), doctor.stdout);

  const demo = await as(['demo', '--fake', '--no-ui']);
  t.is(demo.exitCode, 0, `${demo.stdout}\n${demo.stderr}`);
  t.regex(demo.stdout, /SIMULATED/);
  t.regex(demo.stdout, /Hello from demo-guest, a guest of twinbox\./);

  const apps = await as(['apps', 'demo', '--json']);
  t.is(apps.exitCode, 0, apps.stderr);
  t.deepEqual((JSON.parse(apps.stdout) as { id: string }[]).map((app) => app.id).sort(), ['hello', 'shell']);

  const hello = await as(['run', 'demo', 'hello', '--', 'from', 'the', 'package']);
  t.is(hello.exitCode, 0, hello.stderr);
  t.is(hello.stdout, 'Hello from demo-guest, a guest of twinbox.\narguments: from the package\n');

  const removed = await as(['demo', '--remove']);
  t.is(removed.exitCode, 0, removed.stderr);
  const status = await as(['status', '--json']);
  t.is(status.exitCode, 0, status.stderr);
  t.deepEqual(JSON.parse(status.stdout), []);

  t.is(footprint(prefix).bytes, before, 'nothing was written into the installation folder');
  t.true(existsSync(join(home, '.local', 'share', 'twinbox')), 'state went to the XDG data folder');
});

test.serial('npx of the tarball runs twinbox and loads its built-in plugins', async (t) => {
  const { tarball } = await packed;
  const cache = join(work, 'npx-cache');
  const result = ok(
    await run('npx', ['--yes', `--package=${tarball}`, 'twinbox', 'plugins', '--json'], { env: { npm_config_cache: cache, npm_config_offline: 'true', TWINBOX_HOME: join(work, 'npx-home'), CI: 'true' } }),
    'npx twinbox plugins',
  );
  const plugins = JSON.parse(result.stdout) as { name: string; status: string }[];
  t.deepEqual(
    plugins.filter((plugin) => ['fake', 'qga'].includes(plugin.name)).map((plugin) => [plugin.name, plugin.status]),
    [
      ['fake', 'loaded'],
      ['qga', 'loaded'],
    ],
  );
});

// An outside plugin project, as a plugin author writes it: twinbox (the tarball) and ava as dev
// dependencies, a 20-line hypervisor plugin, and a conformance test of under 30 lines.
const PLUGIN = `import { Tokens } from 'twinbox/plugin-api';
import { simulatedHypervisor } from 'twinbox/testing';

/** "sim": twinbox's simulated machine under a plugin of its own, counting the VMs it starts. */
export async function register(container) {
  const machine = await simulatedHypervisor(container);
  let started = 0;
  const plugin = {
    kind: 'hypervisor',
    name: 'sim',
    displayName: 'sim (simulated, outside plugin)',
    simulated: true,
    capabilities: () => machine.capabilities(),
    start: (vm, options) => machine.start(vm, options).then(() => void started++),
    detect: async () => ({ ...(await machine.detect()), reason: \`outside plugin on the simulated machine, \${started} started\` }),
  };
  for (const name of ['importImage', 'create', 'stop', 'pause', 'suspend', 'resume', 'state', 'listSnapshots', 'createSnapshot', 'restoreSnapshot', 'deleteSnapshot', 'remove', 'openChannel']) plugin[name] = (...args) => machine[name](...args);
  container.register(Tokens.Hypervisor, { useValue: plugin });
}
`;

const CONFORMANCE = `import test from 'ava';
import { fileURLToPath } from 'node:url';
import { hypervisorConformance, makeSimulatedImage, openTestCore } from 'twinbox/testing';

const core = await openTestCore({ pluginDirs: [fileURLToPath(new URL('.', import.meta.url))] });
test.after.always(() => core.cleanup());

hypervisorConformance(test, {
  name: 'sim',
  createPlugin: () => core.plugins.hypervisor('sim'),
  makeImage: (dir) => makeSimulatedImage(dir, { 'usr/share/applications/hello.desktop': '[Desktop Entry]\\nName=Hello\\nExec=hello\\n' }),
  bootTimeoutMs: 30_000,
});
`;

test.serial('an outside plugin project passes the conformance suite from twinbox/testing and is loaded by the installed twinbox', async (t) => {
  const { tarball } = await packed;
  const { prefix, bin } = await installed;
  const project = join(work, 'twinbox-plugin-sim');
  mkdirSync(project);
  const avaVersion = (JSON.parse(readFileSync(join(repo, 'node_modules', 'ava', 'package.json'), 'utf8')) as { version: string }).version;
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'twinbox-plugin-sim',
        version: '1.0.0',
        type: 'module',
        twinbox: { name: 'sim', kind: 'hypervisor', apiVersion: '1.1.0', entry: './index.js', displayName: 'sim' },
        scripts: { test: 'ava' },
        devDependencies: { twinbox: `file:${tarball}`, ava: avaVersion },
        ava: { files: ['conformance.test.js'], timeout: '120s', workerThreads: false },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(project, 'index.js'), PLUGIN);
  writeFileSync(join(project, 'conformance.test.js'), CONFORMANCE);
  t.true(PLUGIN.trimEnd().split('\n').length <= 20, 'the plugin is 20 lines');
  t.true(CONFORMANCE.trimEnd().split('\n').length <= 30, 'its test setup is under 30 lines');

  // ava comes from npm's cache (this checkout's `npm ci` filled it): the same as a registry install.
  ok(await npm(['install', '--prefer-offline'], project), 'npm install in the plugin project');
  const suite = await run('npm', ['test'], { cwd: project, env: { CI: 'true', TWINBOX_TEST: '' }, timeoutMs: 300_000 });
  t.is(suite.exitCode, 0, `${suite.stdout}\n${suite.stderr}`);
  const passed = /(\d+) tests? passed/.exec(suite.stdout);
  t.truthy(passed, suite.stdout);
  t.true(Number(passed![1]) >= 10, `${passed![1]} conformance tests passed`);
  t.notRegex(suite.stdout, /\d+ tests? failed/);
  t.log(`conformance in the outside project: ${passed![0]}`);

  // Loaded by the installed twinbox: from plugins.paths, and as an npm package beside it.
  const home = join(work, 'plugin-home');
  const env = { TWINBOX_HOME: home, TWINBOX_POLICY_DIR: join(work, 'no-policy-2') };
  ok(await run(bin, ['config', 'set', 'plugins.paths', JSON.stringify([project])], { env }), 'config set plugins.paths');
  const fromPaths = JSON.parse(ok(await run(bin, ['plugins', '--json'], { env }), 'plugins --json').stdout) as { name: string; status: string; source?: string; reason?: string }[];
  const sim = fromPaths.find((plugin) => plugin.name === 'sim');
  t.is(sim?.status, 'loaded', JSON.stringify(sim));
  t.regex(sim?.reason ?? '', /outside plugin on the simulated machine/);

  const packedPlugin = JSON.parse(ok(await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: project }), 'npm pack plugin').stdout) as { filename: string }[];
  ok(await npm(['install', '--global', '--prefix', prefix, '--offline', join(work, packedPlugin[0]!.filename)]), 'npm install -g plugin');
  ok(await run(bin, ['config', 'unset', 'plugins.paths'], { env }), 'config unset plugins.paths');
  const fromNpm = JSON.parse(ok(await run(bin, ['plugins', '--json'], { env }), 'plugins --json').stdout) as { name: string; status: string; source?: string }[];
  t.is(fromNpm.find((plugin) => plugin.name === 'sim')?.status, 'loaded', JSON.stringify(fromNpm));
});
