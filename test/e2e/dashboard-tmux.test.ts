import test, { type ExecutionContext } from 'ava';
import { runSetup } from '../../src/core/setup/setup-workspace.js';
import { workspaceStatus } from '../../src/core/workspace/workspace-status.js';
import { testHome, type TestHome } from '../core/workspace/helpers/installed-workspace.js';
import { TWINBOX_BIN } from '../helpers/cli.js';
import { TmuxSession, tmuxMissing } from '../helpers/tmux.js';

/** SGR colours (30–38, 40–48, 90–97, 100–107); 39 and 49 only restore the terminal's default. */
const COLOUR_ESCAPE = /\u001B\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;
const NON_ASCII = /[^\x00-\x7f]/;

async function fleet(t: ExecutionContext): Promise<TestHome> {
  const home = testHome(t);
  await home.install({ name: 'office' });
  await home.install({ name: 'lab' });
  await runSetup(home.core(), 'office');
  return home;
}

/** `twinbox` with no arguments in a real terminal; after it exits, the shell prints the terminal's modes and its exit status. */
function dashboard(t: ExecutionContext, home: TestHome, env: NodeJS.ProcessEnv): TmuxSession {
  const script = `"${process.execPath}" "${TWINBOX_BIN}"; status=$?; stty -a; echo "twinbox exited $status"`;
  return new TmuxSession(t, ['sh', '-c', script], { env: { ...home.env, ...env }, columns: 80, rows: 24 });
}

function officeRow(screen: string): string {
  return screen.split('\n').find((line) => /^..office /.test(line)) ?? '';
}

/** The journey both terminal kinds take: filter, stop and start with keys, a confirmation answered no and yes, help, resize, quit. */
async function journey(t: ExecutionContext, ui: TmuxSession, check: (screen: () => string) => void): Promise<void> {
  await ui.waitFor(/office +fake \(simulated\) +running +ok/);
  check(() => ui.styledScreen());
  t.regex(ui.screen(), /^..lab +- +not-created/m);

  ui.send('/');
  ui.type('off');
  await ui.waitFor('filter: off_');
  ui.send('Enter');
  let screen = await ui.waitFor((/filter: off$/m));
  t.notRegex(screen, /^..lab /m, 'the filter hides lab');

  ui.send('S');
  await ui.waitFor((text) => officeRow(text).includes('stopped'));
  await ui.waitFor('office stopped (graceful)');
  ui.send('s');
  await ui.waitFor((text) => /running +ok/.test(officeRow(text)));

  ui.send('F');
  screen = await ui.waitFor('Force stop office?');
  check(() => ui.styledScreen());
  ui.send('n');
  await ui.waitFor('cancelled: nothing was changed');
  t.regex(officeRow(ui.screen()), /running/);
  ui.send('F');
  await ui.waitFor('Force stop office?');
  ui.send('y');
  await ui.waitFor('office stopped (forced)');

  ui.send('?');
  screen = await ui.waitFor('this help: every key');
  t.regex(screen, /Workspace list/);
  check(() => ui.styledScreen());
  ui.send('Escape');
  await ui.waitFor(/NAME +HYPERVISOR/);

  ui.resize(110, 30);
  screen = await ui.waitFor(/NAME +HYPERVISOR +STATE +AGENT +APPS +SETUP +CPU +MEM/);
  t.is(screen.split('\n').filter((line) => line.trim() !== '').length >= 5, true);
  ui.resize(80, 24);
  screen = await ui.waitFor((text) => /NAME +HYPERVISOR/.test(text) && !/CPU +MEM/.test(text));
  t.true(screen.split('\n').every((line) => line.length <= 80), 'nothing is wider than the terminal after the resize');

  ui.send('q');
  screen = await ui.waitFor('twinbox exited 0');
  t.notRegex(screen, /twinbox dashboard/, 'the alternate screen is gone: the terminal shows what it showed before');
  t.regex(screen, /(^|\s)icanon(\s|$)/m, 'canonical mode is back');
  t.regex(screen, /(^|\s)echo(\s|$)/m, 'echo is back');
}

test.serial('twinbox on a UTF-8 colour terminal: filter, start/stop, confirmation, help, resize, quit restores the terminal', async (t) => {
  const missing = tmuxMissing();
  if (missing) return t.log(`skipped: ${missing}`), t.pass();
  const home = await fleet(t);
  const ui = dashboard(t, home, { LANG: 'C.UTF-8', TERM: 'xterm-256color', NO_COLOR: undefined, LC_ALL: undefined });
  let coloured = false;
  await journey(t, ui, (screen) => {
    coloured ||= COLOUR_ESCAPE.test(screen());
  });
  t.true(coloured, 'colour is used where the terminal has it');
  await home.removeVms();
  t.deepEqual(await home.leftoverProcesses(), []);
});

test.serial('twinbox with LANG=C and NO_COLOR=1: the same journey in ASCII, without colour escapes', async (t) => {
  const missing = tmuxMissing();
  if (missing) return t.log(`skipped: ${missing}`), t.pass();
  const home = await fleet(t);
  const ui = dashboard(t, home, { LANG: 'C', LC_ALL: undefined, LC_CTYPE: undefined, TERM: 'xterm', NO_COLOR: '1' });
  await journey(t, ui, (screen) => {
    const styled = screen();
    t.false(NON_ASCII.test(styled), `a non-ASCII character: ${styled.match(NON_ASCII)?.[0]}`);
    t.false(COLOUR_ESCAPE.test(styled), 'no colour escapes');
  });
  await home.removeVms();
  t.deepEqual(await home.leftoverProcesses(), []);
});

test.serial('twinbox demo on a terminal ends in the dashboard showing the demo workspace; --no-ui exits once it is ready', async (t) => {
  const missing = tmuxMissing();
  if (missing) return t.log(`skipped: ${missing}`), t.pass();
  const home = testHome(t);
  const env = { ...home.env, LANG: 'C.UTF-8', TERM: 'xterm-256color' };
  const run = (args: string) => ['sh', '-c', `"${process.execPath}" "${TWINBOX_BIN}" demo --fake ${args}; echo "demo exited $?"`];
  const demo = new TmuxSession(t, run(''), { env, columns: 80, rows: 24 });
  const screen = await demo.waitFor(/demo +fake \(simulated\) +running +ok/, 60_000);
  t.regex(screen, /twinbox dashboard/);
  demo.send('q');
  t.regex(await demo.waitFor('demo exited 0'), /Watch it with `twinbox`/, 'the demo\'s own lines are back on the screen');

  const plain = new TmuxSession(t, run('--no-ui'), { env, columns: 80, rows: 24 });
  const lines = await plain.waitFor('demo exited 0', 60_000);
  t.notRegex(lines, /twinbox dashboard/);
  t.regex(lines, /SIMULATED/);
  await home.removeVms();
  t.deepEqual(await home.leftoverProcesses(), []);
});

test.serial('Ctrl-C while setup waits for an answer asks first, then stops it halfway: the terminal comes back at once and setup can resume', async (t) => {
  const missing = tmuxMissing();
  if (missing) return t.log(`skipped: ${missing}`), t.pass();
  const home = testHome(t);
  await home.install({ name: 'lab', manifest: { setup: { mode: 'attended' } } });
  const ui = dashboard(t, home, { LANG: 'C.UTF-8', TERM: 'xterm-256color' });
  await ui.waitFor(/lab +- +not-created/);
  ui.send('u');
  await ui.waitFor('Computer name of the guest');
  // While setup asks, typed keys are the answer: Ctrl-C is how to leave.
  ui.send('C-c');
  await ui.waitFor('Quit while this runs: setting up lab?');
  ui.send('y');
  await ui.waitFor('twinbox exited 0', 10_000);
  const status = await workspaceStatus(home.core(), 'lab');
  t.like(status.setup, { state: 'running', interrupted: true });
  t.is(status.lockedBy, undefined, 'no live process holds the lock');
  await home.removeVms();
  t.deepEqual(await home.leftoverProcesses(), []);
});
