import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { planAgentUnit } from '../../../src/core/agent/install-unit.js';
import { twinbox } from '../../helpers/cli.js';
import { narrowPath } from '../../helpers/narrow-path.js';
import { tempDir } from '../../helpers/temp.js';
import { throwawayUser, twinboxAs, whyNoThrowawayUsers } from '../../helpers/throwaway-users.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A home with an empty XDG_CONFIG_HOME and a runtime folder no user manager listens in. */
function bareHome(t: Parameters<typeof tempDir>[0]) {
  const home = tempDir(t, 'tbx-unitcli-');
  const config = join(home, 'cfg');
  const runtime = join(home, 'run');
  mkdirSync(config);
  mkdirSync(runtime, { mode: 0o700 });
  return {
    home,
    config,
    unit: join(config, 'systemd', 'user', 'twinbox-agent.service'),
    // No DBUS_SESSION_BUS_ADDRESS: systemctl --user looks for the manager in XDG_RUNTIME_DIR only.
    env: { HOME: home, XDG_CONFIG_HOME: config, XDG_RUNTIME_DIR: runtime, DBUS_SESSION_BUS_ADDRESS: undefined, TWINBOX_HOME: join(home, 'tbx') },
  };
}

test('--install-unit without systemctl on PATH: one line saying so, exit 1, nothing written', async (t) => {
  const h = bareHome(t);
  const result = await twinbox(['agent', '--install-unit'], { ...h.env, PATH: narrowPath(t, ['node']) });
  t.is(result.exitCode, 1, result.stderr);
  t.regex(result.stderr, /^twinbox: systemd is not here: systemctl is not on PATH, so no unit was written\nhint: /);
  t.deepEqual(readdirSync(h.config), []);
  const json = await twinbox(['agent', '--install-unit', '--json'], { ...h.env, PATH: narrowPath(t, ['node']) });
  t.is(json.exitCode, 1);
  t.like(JSON.parse(json.stdout), { error: { code: 'no-systemd', exitCode: 1 } });
  t.deepEqual(readdirSync(h.config), []);
});

test('--install-unit with systemctl but no user manager reachable (as in CI): exit 1, nothing written', async (t) => {
  if (!existsSync('/usr/bin/systemctl')) return t.pass('systemctl is not installed here');
  const h = bareHome(t);
  const result = await twinbox(['agent', '--install-unit'], { ...h.env, PATH: narrowPath(t, ['node', 'systemctl']) });
  t.is(result.exitCode, 1, result.stderr);
  t.regex(result.stderr, /^twinbox: no systemd user manager is reachable for \S+ \(systemctl --user: [^)]+\), so no unit was written\nhint: .*loginctl enable-linger/);
  t.deepEqual(readdirSync(h.config), []);
});

test('--remove-unit removes a unit it wrote (and its enable link), leaves a hand-copied one alone (exit 1), and with none says so (exit 0)', async (t) => {
  const h = bareHome(t);
  const none = await twinbox(['agent', '--remove-unit', '--json'], h.env);
  t.is(none.exitCode, 0, none.stderr);
  t.like(JSON.parse(none.stdout), { action: 'remove-unit', changed: false, unit: h.unit });

  const dir = join(h.config, 'systemd', 'user');
  mkdirSync(join(dir, 'default.target.wants'), { recursive: true });
  writeFileSync(h.unit, readFileSync(join(ROOT, 'contrib', 'systemd', 'twinbox-agent.service')));
  const refused = await twinbox(['agent', '--remove-unit'], h.env);
  t.is(refused.exitCode, 1);
  t.regex(refused.stderr, /twinbox-agent\.service was not written by twinbox agent --install-unit .* nothing was removed\nhint: /);
  t.true(existsSync(h.unit));
  const alsoRefused = await twinbox(['agent', '--install-unit'], h.env);
  t.is(alsoRefused.exitCode, 1);
  t.regex(alsoRefused.stderr, /was not written by twinbox agent --install-unit/);

  const plan = planAgentUnit({ scope: 'user', env: h.env, runner: undefined as never, packageRoot: ROOT, nodePath: process.execPath });
  writeFileSync(h.unit, plan.text);
  symlinkSync(h.unit, join(dir, 'default.target.wants', 'twinbox-agent.service'));
  const removed = await twinbox(['agent', '--remove-unit'], h.env);
  t.is(removed.exitCode, 0, removed.stderr);
  t.regex(removed.stdout, /^removed .*twinbox-agent\.service; no systemd manager was reachable: nothing to stop or reload\n$/);
  t.false(existsSync(h.unit));
  t.deepEqual(readdirSync(join(dir, 'default.target.wants')), []);
});

test('bad combinations are usage errors (exit 2)', async (t) => {
  const h = bareHome(t);
  for (const args of [['--install-unit', '--once'], ['--install-unit', '--remove-unit'], ['--system'], ['--remove-unit', '--metrics', join(h.home, 'x.prom')]]) {
    const result = await twinbox(['agent', ...args], h.env);
    t.is(result.exitCode, 2, `${args.join(' ')}: ${result.stderr}`);
  }
  t.deepEqual(readdirSync(h.config), []);
});

test('--install-unit --system: refused with exit 4 for a user who is not root; as root without systemd as init, exit 1 and nothing in /etc/systemd/system', async (t) => {
  const why = whyNoThrowawayUsers();
  if (why) return t.pass(`skipped: ${why}`);
  const user = throwawayUser(t, 'tbxunit');
  const h = bareHome(t);
  chmodSync(h.home, 0o777);
  const refused = await twinboxAs(user, ['agent', '--install-unit', '--system'], { HOME: h.home, XDG_CONFIG_HOME: h.config });
  t.is(refused.exitCode, 4, refused.stderr);
  t.regex(refused.stderr, /^twinbox: only root can install the system unit \/etc\/systemd\/system\/twinbox-agent@\.service\n/);
  if (existsSync('/run/systemd/system')) return;
  const asRoot = await twinbox(['agent', '--install-unit', '--system'], h.env);
  t.is(asRoot.exitCode, 1, asRoot.stderr);
  t.regex(asRoot.stderr, /systemd is not this host's init system \(no \/run\/systemd\/system\), so no unit was written/);
  t.false(existsSync('/etc/systemd/system/twinbox-agent@.service'));
});
