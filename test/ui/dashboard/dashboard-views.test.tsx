import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { openCore } from '../../../src/core/open-core.js';
import { openWorkspace } from '../../../src/core/workspace/open-workspace.js';
import { workspaceStatus } from '../../../src/core/workspace/workspace-status.js';
import { twinbox } from '../../helpers/cli.js';
import { writePlugin } from '../../helpers/plugin-fixtures.js';
import { tempDir } from '../../helpers/temp.js';
import { fleet } from './helpers/fleet.js';
import { KEYS, renderDashboard } from './helpers/dashboard-harness.js';

const officeSelected = (frame: string) => frame.split('\n').some((line) => line.startsWith('office 1.0.0:'));

test('force stop asks first, naming what is lost; n leaves the VM running and y powers it off', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('j');
  await ui.waitFor(officeSelected);
  await ui.press('F');
  await ui.waitFor('Force stop office? The VM is powered off at once: unsaved work in its');
  await ui.press('n');
  await ui.waitFor('cancelled: nothing was changed');
  t.is((await workspaceStatus(home.core(), 'office')).state, 'running');
  await ui.press('F');
  await ui.waitFor('Force stop office?');
  await ui.press('y');
  await ui.waitFor('office stopped (forced)');
  t.is((await workspaceStatus(home.core(), 'office')).state, 'stopped');
});

test('reset asks first; Enter cancels, y deletes the VM and shows setup running again from the base image', async (t) => {
  const home = await fleet(t);
  const before = (await workspaceStatus(home.core(), 'office')).setup.record!.time;
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('j', 'R');
  await ui.waitFor(/Reset office\? Its VM is deleted with everything in it/);
  await ui.press(KEYS.enter);
  await ui.waitFor('cancelled: nothing was changed');
  t.is((await workspaceStatus(home.core(), 'office')).setup.record!.time, before);
  await ui.press('R');
  await ui.waitFor('Reset office?');
  await ui.press('y');
  // The list's detail pane shows the first setup's last event too: wait for the setup view's.
  const frame = await ui.waitFor((shown) => shown.includes('Setting up office') && shown.includes('office is ready: 3 app(s) published'));
  t.regex(frame, /Setting up office/);
  t.regex(frame, /100% · /);
  t.regex(frame, /✓ Discover the guest apps/);
  await ui.waitFor('office was reset and set up again: 3 app(s) published');
  t.not((await workspaceStatus(home.core(), 'office')).setup.record!.time, before);
});

test('uninstall asks first and then removes the workspace from the list', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('j', 'X');
  await ui.waitFor('Uninstall office?');
  await ui.press('y');
  await ui.waitFor('uninstalled office 1.0.0');
  const frame = await ui.waitFor(/· 1 workspace$/m);
  t.false(frame.split('\n').some((line) => line.slice(2).startsWith('office ')));
  t.deepEqual(Object.keys(await home.fake().listVms()), []);
});

test('the detail view shows settings with their sources, published apps, snapshots and the last setup record', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('j', 'n');
  await ui.waitFor(/took snapshot "snap-/);
  await ui.press('d');
  let frame = await ui.waitFor('vm.memoryMiB');
  t.regex(frame, /details: office/);
  t.regex(frame, /vm\.memoryMiB +256 +package/);
  t.regex(frame, /log\.level +info +default/);
  await ui.press('G');
  frame = await ui.waitFor('Last setup');
  t.regex(frame, /Published apps \(3\)/);
  t.regex(frame, /hello +Hello \(command, discovered\)/);
  t.regex(frame, /snap-\d{8}-\d{6}/);
  t.regex(frame, /status 0 \(ready\) · \d{4}-\d\d-\d\dT/);
  await ui.press(KEYS.escape);
  await ui.waitFor(/NAME +HYPERVISOR/);
});

test('the detail view names machine policy as the source of a value it enforces', async (t) => {
  const home = await fleet(t);
  const policyDir = tempDir(t);
  await import('node:fs/promises').then((fs) => fs.writeFile(join(policyDir, 'policy.json'), JSON.stringify({ 'setup.maxRetries': 7 })));
  const ui = renderDashboard(t, { ...home.env, TWINBOX_POLICY_DIR: policyDir });
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('d');
  const frame = await ui.waitFor('setup.maxRetries');
  t.regex(frame, new RegExp(`setup\\.maxRetries +7 +policy:${join(policyDir, 'policy.json').replace(/[.]/g, '\\.')} \\(locked\\)`));
});

test('the detail view shows a setting changed by another process while it is open', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('d');
  t.regex(await ui.waitFor('log.level'), /log\.level +info +default/);
  // The watcher's first look at settings.json is taken in the background.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const config = await twinbox(['config', 'set', 'log.level', 'debug'], home.env);
  t.is(config.exitCode, 0, config.stderr);
  // conf watches the file by polling it (every 5 s on Linux), then waits a second for quiet.
  t.regex(await ui.waitFor(/log\.level +debug +user/, 20_000), /details: /);
});

test('the logs view shows the event log and follows new events until f pauses it', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('j', 'l');
  let frame = await ui.waitFor(/INFO +\d{4} setup/);
  t.regex(frame, /following the event log of office/);
  const events = openWorkspace(home.core(), 'office').events;
  events.write('warn', 'vm', 'a new event written while the view is open');
  await ui.waitFor('a new event written while the view is open');
  await ui.press('f');
  frame = await ui.waitFor('paused (f follows again)');
  t.regex(frame, /WARN +vm +a new event/);
});

test('the plugins view shows loaded, simulated and broken plugins with the reason', async (t) => {
  const home = await fleet(t);
  const pluginRoot = tempDir(t);
  writePlugin(pluginRoot, { name: 'future', apiVersion: '9.0.0' });
  openCore({ env: home.env }).settings.set('plugins.paths', [pluginRoot]);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('P');
  const frame = await ui.waitFor(/future +guest-agent +1\.2\.3 +broken/);
  t.regex(frame, /fake +hypervisor +\S+ +loaded \(simulated\)/);
  t.regex(frame, /qga +guest-agent/);
  t.regex(frame, /built for plugin API 9\.0\.0/);
});

test('the doctor view shows each check and the fallback to the simulated hypervisor when nothing real is usable', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('D');
  const frame = await ui.waitFor(/state folder/);
  t.regex(frame, /doctor/);
  t.regex(frame, /qemu-system/);
  t.regex(frame, /plugin fake/);
});

test('attended setup asks its question in the setup view and uses the answer typed there', async (t) => {
  const home = await fleet(t, { attendedLab: true });
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('u');
  let frame = await ui.waitFor(/\? Computer name of the guest \[TWINBOX[A-Z0-9]+\]/);
  t.regex(frame, /Setting up lab \(attended\)/);
  t.regex(frame, /✓ Wait for the guest agent/);
  await ui.press('bad name!', KEYS.enter);
  await ui.waitFor('cannot use "bad name!"');
  for (let typed = 0; typed < 'bad name!'.length; typed++) await ui.press(KEYS.backspace);
  await ui.press('LAB-DESK', KEYS.enter);
  frame = await ui.waitFor('lab is ready: 3 app(s) published, guest named LAB-DESK');
  t.regex(frame, /computer-name: LAB-DESK/);
  t.is((await readFile(join(home.guestRoot('lab'), 'etc/hostname'), 'utf8')).trim(), 'LAB-DESK');
});

test('start of a workspace that was never set up opens the setup view with its steps', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('s');
  const frame = await ui.waitFor('lab is ready');
  t.regex(frame, /setup: lab/);
  t.regex(frame, /✓ Choose a hypervisor/);
  await ui.waitFor('lab is set up and running: 3 app(s) published');
});

test('quitting while an action of the dashboard runs asks first; n keeps the dashboard and the action going', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env);
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('u', 'q');
  await ui.waitFor(/Quit while this runs: setting up lab\?/);
  await ui.press('n');
  t.false(ui.exited());
  await ui.waitFor('lab is ready');
  await ui.waitFor('lab is set up: 3 app(s) published');
  await ui.press('q');
  t.true(ui.exited(), 'with nothing running, q leaves at once');
});
