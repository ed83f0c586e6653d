import test, { type ExecutionContext } from 'ava';
import { runSetup } from '../../src/core/setup/setup-workspace.js';
import { stopWorkspace } from '../../src/core/workspace/stop-workspace.js';
import { testHome, type TestHome } from '../core/workspace/helpers/installed-workspace.js';
import { TWINBOX_BIN } from '../helpers/cli.js';
import { PtyScreen } from '../helpers/screen/pty-screen.js';
import { masks } from '../helpers/screen/masks.js';
import { terminalRestored } from '../helpers/screen/restored.js';

const ENV = { LANG: 'C.UTF-8', LC_ALL: undefined, LC_CTYPE: undefined, NO_COLOR: '1', TERM: 'xterm-256color' };

/** "office" set up and stopped, "lab" installed and never started. */
async function fleet(t: ExecutionContext): Promise<TestHome> {
  const home = testHome(t);
  await home.install({ name: 'office' });
  await home.install({ name: 'lab' });
  await runSetup(home.core(), 'office');
  await stopWorkspace(home.core(), 'office', { timeoutMs: 10_000 });
  return home;
}

/** The dashboard, every step a whole screen: help, filter, start, stop with confirmation, logs, details, plugins, doctor, resizes, quit. */
async function journey(t: ExecutionContext, columns: number, rows: number, env: NodeJS.ProcessEnv = ENV, variant?: string): Promise<void> {
  const home = await fleet(t);
  const ui = new PtyScreen(t, [process.execPath, TWINBOX_BIN], { env: { ...home.env, ...env }, columns, rows, journey: 'dashboard', variant, masks: masks(home.home) });
  // Escape and the next key in one read would be one Alt-key: wait for the list in between.
  const back = async () => {
    ui.send('Escape');
    await ui.waitFor((text) => /NAME +HYPERVISOR/.test(text) && !/ · (help|logs|details|plugins|doctor)/.test(text));
  };
  await ui.step('01-open', /office .*stopped/);
  ui.send('?');
  await ui.step('02-help', 'this help: every key');
  await back();
  ui.send('/');
  await ui.type('off');
  await ui.step('03-filter-typing', 'filter: off_');
  ui.send('Enter');
  await ui.step('04-filtered', (text) => /filter: off$/m.test(text) || /filter: off /.test(text));
  ui.send('s');
  await ui.step('05-started', 'office is running', 60_000);
  ui.send('F');
  await ui.step('06-confirm-force-stop', 'Force stop office?');
  ui.send('y');
  await ui.step('07-stopped', 'office stopped (forced)', 30_000);
  ui.send('u');
  await ui.step('08-setup-already-done', 'office is already set up');
  ui.send('l');
  await ui.step('09-logs', 'following the event log of office');
  await back();
  ui.send('d');
  await ui.step('10-details', 'Settings: value');
  await back();
  ui.send('P');
  await ui.step('11-plugins', (text) => text.includes('plugins') && /fake/.test(text), 30_000);
  await back();
  ui.send('D');
  await ui.step('12-doctor', (text) => text.includes('doctor') && /fake/.test(text), 30_000);
  await back();
  const [narrow, short] = columns === 80 ? [60, 20] : [80, 24];
  ui.resize(narrow, short);
  await ui.step(`13-resized-${narrow}x${short}`, /office .*stopped/);
  ui.resize(columns, rows);
  await ui.step(`14-resized-back`, /office .*stopped/);
  ui.send('q');
  t.deepEqual(await ui.waitForExit(), { exitCode: 0 });
  terminalRestored(t, ui);
  await home.removeVms();
}

test.serial('dashboard at 80x24: help, filter, start, stop with confirmation, setup already done, logs, details, plugins, doctor, resize and back, quit', (t) => journey(t, 80, 24));
test.serial('dashboard at 60x20: the same journey', (t) => journey(t, 60, 20));
test.serial('dashboard at 200x50, a wide terminal: the same journey, with the CPU and memory columns beside the names', (t) => journey(t, 200, 50));
test.serial('dashboard at 80x24 inside screen or tmux (TERM=screen): the same journey', (t) => journey(t, 80, 24, { ...ENV, TERM: 'screen' }, 'screen-80x24'));

/** How the terminal must look after the dashboard ended, however it ended. */
async function endedBy(t: ExecutionContext, end: (ui: PtyScreen) => void, expected: readonly number[]): Promise<void> {
  const home = await fleet(t);
  const ui = new PtyScreen(t, [process.execPath, TWINBOX_BIN], { env: { ...home.env, ...ENV }, columns: 80, rows: 24, journey: 'dashboard-exit' });
  await ui.waitFor(/office .*stopped/);
  t.is(ui.grid().buffer, 'alternate');
  end(ui);
  const { exitCode } = await ui.waitForExit();
  t.true(expected.includes(exitCode), `exit ${exitCode}, expected ${expected.join(' or ')}`);
  terminalRestored(t, ui);
  await home.removeVms();
}

test.serial('the terminal is restored after q', (t) => endedBy(t, (ui) => ui.send('q'), [0]));
// Ctrl-C is the dashboard's quit key (0); in the instant between the first frame of the list
// and React's effect that turns raw mode on, the terminal makes it SIGINT instead (130).
test.serial('the terminal is restored after Ctrl-C', (t) => endedBy(t, (ui) => ui.send('C-c'), [0, 130]));
test.serial('the terminal is restored after kill -TERM', (t) => endedBy(t, (ui) => ui.kill('SIGTERM'), [143]));
test.serial('the terminal is restored after the connection drops (SIGHUP)', (t) => endedBy(t, (ui) => ui.kill('SIGHUP'), [129]));
