import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { describeInstallation, execWord, isGeneratedUnit, renderAgentUnit } from '../../../src/core/agent/agent-unit.js';
import { installAgentUnit, planAgentUnit, removeAgentUnit, type UnitRequest } from '../../../src/core/agent/install-unit.js';
import type { CommandResult, CommandRunner, RunOptions } from '../../../src/plugin-api/index.js';
import { tempDir } from '../../helpers/temp.js';
import { has } from '../../helpers/processes.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CONTRIB_UNIT = join(ROOT, 'contrib', 'systemd', 'twinbox-agent.service');

/** systemd's own parser of unit files: `systemd-analyze verify` (a user manager in test mode needs a runtime folder). */
function verify(t: Parameters<typeof tempDir>[0], unitFile: string, scope: 'user' | 'system'): Promise<{ code: number; output: string }> {
  const runtime = tempDir(t, 'tbx-rt-');
  chmodSync(runtime, 0o700);
  return new Promise((resolve) => {
    execFile('systemd-analyze', ['verify', ...(scope === 'user' ? ['--user'] : []), unitFile], { env: { ...process.env, XDG_RUNTIME_DIR: runtime } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr });
    });
  });
}

test('contrib/systemd/twinbox-agent.service is the template rendered for installing by hand, with the settings the agent relies on', (t) => {
  const shipped = readFileSync(CONTRIB_UNIT, 'utf8');
  t.is(shipped, renderAgentUnit({ kind: 'contrib' }));
  for (const line of ['KillMode=process', 'RestartPreventExitStatus=75', 'Restart=on-failure', 'TimeoutStopSec=120', 'Type=exec', 'WantedBy=default.target', 'ExecStart=/usr/bin/env twinbox agent']) {
    t.true(shipped.split('\n').includes(line), line);
  }
  t.false(isGeneratedUnit(shipped), 'the hand-copied unit is not one --remove-unit may remove');
});

test("the generated unit keeps every setting of the shipped one and runs this checkout's node and bin/twinbox.js by absolute path", (t) => {
  const home = tempDir(t, 'tbx-unit-');
  const plan = planAgentUnit({ scope: 'user', env: { XDG_CONFIG_HOME: join(home, 'cfg'), TWINBOX_HOME: join(home, 'tbx'), TWINBOX_POLICY_DIR: '/etc/twinbox' }, runner: undefined as never, packageRoot: ROOT, nodePath: process.execPath });
  t.is(plan.unit, join(home, 'cfg', 'systemd', 'user', 'twinbox-agent.service'));
  t.deepEqual(plan.execStart, [realpathSync(process.execPath), join(realpathSync(ROOT), 'bin', 'twinbox.js'), 'agent']);
  t.is(plan.installation.kind, 'repository');
  t.deepEqual(plan.environment, { TWINBOX_HOME: join(home, 'tbx'), TWINBOX_POLICY_DIR: '/etc/twinbox' });
  t.true(isGeneratedUnit(plan.text));
  const settings = (text: string) => text.split('\n').filter((line) => /^[A-Za-z]+=/.test(line) && !line.startsWith('ExecStart=') && !line.startsWith('Environment='));
  t.deepEqual(settings(plan.text), settings(readFileSync(CONTRIB_UNIT, 'utf8')));
  t.true(plan.text.includes(`\nEnvironment=TWINBOX_HOME=${join(home, 'tbx')}\n`));
});

test('systemd-analyze verify accepts the generated units, and the ExecStart argv runs this twinbox (--version in place of agent)', async (t) => {
  const home = tempDir(t, 'tbx-unit-');
  const plan = planAgentUnit({ scope: 'user', env: { XDG_CONFIG_HOME: home }, runner: undefined as never, packageRoot: ROOT, nodePath: process.execPath });
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
  const [program, ...args] = plan.execStart;
  const ran = execFileSync(program!, args.map((arg) => (arg === 'agent' ? '--version' : arg)), { encoding: 'utf8' });
  t.true(ran.includes(version), ran);
  if (!has('systemd-analyze')) {
    t.log('systemd-analyze is not installed: the unit file syntax is not checked by systemd here');
    return;
  }
  mkdirSync(join(home, 'u'));
  const userUnit = join(home, 'u', 'twinbox-agent.service');
  writeFileSync(userUnit, plan.text);
  const user = await verify(t, userUnit, 'user');
  t.is(user.code, 0, user.output);
  const system = planAgentUnit({ scope: 'system', env: {}, runner: undefined as never, packageRoot: ROOT, nodePath: process.execPath });
  const systemUnit = join(home, 'u', 'twinbox-agent@.service');
  writeFileSync(systemUnit, system.text);
  t.true(system.text.includes('\nUser=%i\n'));
  const checked = await verify(t, systemUnit, 'system');
  t.is(checked.code, 0, checked.output);
});

test('paths with spaces, quotes, % and $ are quoted so that systemd finds the program (systemd-analyze verify)', async (t) => {
  if (!has('systemd-analyze')) return t.pass('systemd-analyze is not installed');
  const home = tempDir(t, 'tbx-unit-');
  const odd = join(home, 'my node 100% $HOME');
  mkdirSync(odd);
  symlinkSync(process.execPath, join(odd, 'node'));
  const argument = join(home, 'a "quoted" 50% $HOME\\x');
  const text = renderAgentUnit({ kind: 'user', execStart: [join(odd, 'node'), argument, 'agent'], environment: { TWINBOX_HOME: odd } });
  const line = text.split('\n').find((l) => l.startsWith('ExecStart='))!;
  t.is(line, `ExecStart="${odd.replace('%', '%%')}/node" "${home}/a \\"quoted\\" 50%% $$HOME\\\\x" agent`);
  t.true(text.includes(`\nEnvironment="TWINBOX_HOME=${odd.replace('%', '%%')}"\n`));
  const unit = join(home, 'twinbox-agent.service');
  writeFileSync(unit, text);
  const good = await verify(t, unit, 'user');
  t.is(good.code, 0, good.output);
  // The check can fail: the same path unquoted is not a program systemd can find.
  writeFileSync(unit, text.replace(/^ExecStart=.*$/m, `ExecStart=${join(odd, 'node')} agent`));
  const bad = await verify(t, unit, 'user');
  t.not(bad.code, 0);
  t.throws(() => execWord('a\nb'), { message: /control character/ });
  t.throws(() => execWord('/opt/it\'s/node', true), { message: /quote or a backslash in its path, which systemd does not accept/ });
});

test('installations are told apart: npm prefix, a project node_modules, npx cache (warned: it may vanish)', (t) => {
  const base = tempDir(t, 'tbx-inst-');
  const make = (dir: string) => {
    mkdirSync(join(dir, 'bin'), { recursive: true });
    writeFileSync(join(dir, 'bin', 'twinbox.js'), '');
    writeFileSync(join(dir, 'package.json'), '{"name":"twinbox"}');
    return dir;
  };
  // An installed node (the suite may run under a node from npx's cache, which is warned about).
  const node = join(base, 'usr-bin-node');
  writeFileSync(node, '', { mode: 0o755 });
  const prefix = describeInstallation(make(join(base, 'prefix', 'lib', 'node_modules', 'twinbox')), node);
  t.is(prefix.kind, 'npm-prefix');
  t.regex(prefix.description, new RegExp(`npm prefix ${join(base, 'prefix')}`));
  t.deepEqual(prefix.warnings, []);
  t.is(prefix.bin, join(realpathSync(base), 'prefix', 'lib', 'node_modules', 'twinbox', 'bin', 'twinbox.js'));
  t.is(describeInstallation(make(join(base, 'project', 'node_modules', 'twinbox')), node).kind, 'node-modules');
  const npx = describeInstallation(make(join(base, '.npm', '_npx', '3f2a', 'node_modules', 'twinbox')), node);
  t.is(npx.kind, 'npx-cache');
  t.is(npx.warnings.length, 1);
  t.regex(npx.warnings[0]!, /npx's cache .* which npm may clear at any time/);
  // A link into the prefix (npm's bin/twinbox) resolves to the package itself.
  symlinkSync(join(base, 'prefix', 'lib', 'node_modules', 'twinbox'), join(base, 'linked'));
  t.is(describeInstallation(join(base, 'linked'), node).bin, prefix.bin);
  const npxNode = join(base, '.npm', '_npx', '9c1d', 'node_modules', 'node', 'bin', 'node');
  mkdirSync(dirname(npxNode), { recursive: true });
  writeFileSync(npxNode, '', { mode: 0o755 });
  t.regex(describeInstallation(join(base, 'linked'), npxNode).warnings.join('\n'), /node runs from npx's cache/);
});

/**
 * Stands in for systemctl where no systemd manager can run (this machine's PID 1 is not
 * systemd, as in CI containers): answers `show --property=Version --value` as systemd 252
 * (Debian 12) prints it, and records every call. The checks without systemd use the real one.
 */
class SystemctlStandIn implements CommandRunner {
  async which(): Promise<string | undefined> {
    return undefined;
  }
  calls: string[][] = [];
  constructor(private readonly reloadExit = 0) {}
  async run(command: string, args: readonly string[], _options?: RunOptions): Promise<CommandResult> {
    this.calls.push([...args]);
    const reload = args.includes('daemon-reload');
    const exitCode = reload ? this.reloadExit : 0;
    return { command, args, exitCode, timedOut: false, stdout: args.includes('show') ? '252.38-1~deb12u1\n' : '', stderr: exitCode === 0 ? '' : 'Failed to reload daemon: Access denied\n' };
  }
  spawnDetached(): Promise<number> {
    throw new Error('not used');
  }
  spawnLongLived(): never {
    throw new Error('not used');
  }
}

function requestIn(t: Parameters<typeof tempDir>[0], runner: CommandRunner): { request: UnitRequest; unit: string; config: string } {
  const home = tempDir(t, 'tbx-unit-');
  const bin = join(home, 'bin');
  mkdirSync(bin);
  // Only found on PATH, never run: the stand-in answers instead.
  writeFileSync(join(bin, 'systemctl'), '#!/bin/sh\nexit 99\n', { mode: 0o755 });
  const config = join(home, 'cfg');
  return {
    request: { scope: 'user', env: { PATH: bin, XDG_CONFIG_HOME: config, TWINBOX_HOME: join(home, 'tbx') }, runner, packageRoot: ROOT, nodePath: process.execPath, user: 'alice' },
    unit: join(config, 'systemd', 'user', 'twinbox-agent.service'),
    config,
  };
}

test('with a user manager: the unit is written and systemd reloaded once; the same unit again changes nothing; remove disables, removes and reloads', async (t) => {
  const systemctl = new SystemctlStandIn();
  const { request, unit } = requestIn(t, systemctl);
  const first = await installAgentUnit(request);
  t.true(first.changed);
  t.is(first.unit, unit);
  t.is(readFileSync(unit, 'utf8'), planAgentUnit(request).text);
  t.deepEqual(systemctl.calls, [['--user', 'show', '--property=Version', '--value'], ['--user', 'daemon-reload']]);
  t.is(first.next, 'systemctl --user enable --now twinbox-agent');

  systemctl.calls = [];
  const again = await installAgentUnit(request);
  t.false(again.changed);
  t.false(again.reloaded);
  t.deepEqual(systemctl.calls, [['--user', 'show', '--property=Version', '--value']]);

  const moved = await installAgentUnit({ ...request, agentArgs: ['--metrics', '/tmp/twinbox.prom'] });
  t.true(moved.changed);
  t.true(readFileSync(unit, 'utf8').includes(' agent --metrics /tmp/twinbox.prom\n'));
  t.is(moved.next, 'systemctl --user restart twinbox-agent');

  systemctl.calls = [];
  const removed = await removeAgentUnit(request);
  t.true(removed.changed);
  t.false(existsSync(unit));
  t.deepEqual(systemctl.calls, [['--user', 'show', '--property=Version', '--value'], ['--user', 'disable', '--now', 'twinbox-agent.service'], ['--user', 'daemon-reload']]);
  t.false((await removeAgentUnit(request)).changed);
});

test('a failed daemon-reload puts the previous unit back (none: no file)', async (t) => {
  const { request, unit } = requestIn(t, new SystemctlStandIn(1));
  await t.throwsAsync(installAgentUnit(request), { message: /systemctl --user daemon-reload failed \(exit 1\): Failed to reload daemon: Access denied/ });
  t.false(existsSync(unit));
  const good = requestIn(t, new SystemctlStandIn());
  await installAgentUnit(good.request);
  const before = readFileSync(good.unit, 'utf8');
  await t.throwsAsync(installAgentUnit({ ...good.request, runner: new SystemctlStandIn(1), agentArgs: ['--metrics', '/tmp/x.prom'] }));
  t.is(readFileSync(good.unit, 'utf8'), before);
});
