import { execFileSync } from 'node:child_process';
import test, { type ExecutionContext } from 'ava';
import { startWorkspace } from '../../src/core/workspace/start-workspace.js';
import { workspaceStatus } from '../../src/core/workspace/workspace-status.js';
import { stoppedOffice } from './helpers/stopped-workspace.js';
import { TWINBOX_BIN } from '../helpers/cli.js';
import { narrowPath } from '../helpers/narrow-path.js';
import { TmuxSession, tmuxMissing } from '../helpers/tmux.js';

const skip = tmuxMissing();
const tmuxTest = skip ? test.skip : test;

const FILES = {
  'etc/hostname': 'base\n',
  'usr/bin/greet': '#!/bin/sh\necho "hello from the guest"\necho "line two"\n',
  'usr/share/applications/greet.desktop': '[Desktop Entry]\nType=Application\nName=Greeter\nExec=/usr/bin/greet\nX-Twinbox-Kind=command\nCategories=Tools;\n',
  'usr/bin/notes': '#!/bin/sh\necho "notes: “quoted” in UTF-8"\n',
  'usr/share/applications/notes.desktop': '[Desktop Entry]\nType=Application\nName=Notes\nExec=/usr/bin/notes\nX-Twinbox-Kind=command\n',
  'usr/share/applications/report.desktop': '[Desktop Entry]\nType=Application\nName=Quarterly report of every branch office, with charts, notes and the archive of past years\nExec=/usr/bin/report\nX-Twinbox-Kind=command\n',
  'usr/share/applications/shell.desktop': '[Desktop Entry]\nType=Application\nName=Shell\nExec=/bin/sh\nTerminal=true\n',
};

const office = (t: ExecutionContext) => stoppedOffice(t, FILES);

/** The pane with its escape sequences, as a terminal would receive the screen. */
function screenWithEscapes(session: TmuxSession): string {
  return execFileSync('tmux', ['-L', session.socket, 'capture-pane', '-e', '-p', '-t', session.name], { encoding: 'utf8' });
}

/** SGR parameters that set a foreground or background colour. */
function colourCodes(screen: string): string[] {
  const codes: string[] = [];
  for (const match of screen.matchAll(/\u001B\[([0-9;]*)m/g)) {
    for (const code of match[1]!.split(';')) if (/^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(code)) codes.push(code);
  }
  return codes;
}

function lines(screen: string): string[] {
  return screen.split('\n');
}

tmuxTest('in a real terminal the menu filters as you type, launches a command app, shows its output, goes back, reflows on resize and quits with exit 0', async (t) => {
  const h = await office(t);
  const session = new TmuxSession(t, [process.execPath, TWINBOX_BIN, 'menu'], { env: { ...h.env, LANG: 'C.UTF-8' }, columns: 80, rows: 24 });
  let screen = await session.waitFor('type to filter');
  t.is(lines(screen)[0], 'Apps  4 apps');
  t.regex(screen, /^office\n › Notes\n   Quarterly report .*…\n   Shell \(terminal\)\noffice \/ Tools\n   Greeter$/m);
  // A name too long for the line is cut at the terminal's edge.
  t.is(lines(screen).find((line) => line.includes('Quarterly'))!.length, 80);
  t.regex(screenWithEscapes(session), /\u001B\[3\dm/, 'colours are drawn when NO_COLOR is unset');

  session.type('gre');
  screen = await session.waitFor('1 of 4');
  t.regex(screen, /› gre/);
  t.regex(screen, /^ › Greeter$/m);
  t.regex(screen, /^in office \/ Tools$/m);
  session.send('Enter');
  screen = await session.waitFor('Greeter (office): exit 0');
  t.regex(screen, /^hello from the guest\nline two$/m);
  session.send('Space');
  screen = await session.waitFor('1 of 4');

  // A narrower, shorter terminal: long names are cut at its new edge, the footer moves up.
  session.send('C-u');
  await session.waitFor('type to filter');
  session.resize(60, 16);
  screen = await session.waitFor(/^ {3}Quarterly report .{39}…$/m);
  t.true(lines(screen).every((line) => line.length <= 60));
  t.regex(lines(screen)[14]!, /^Enter launch/);
  session.resize(100, 30);
  screen = await session.waitFor(/^ {3}Quarterly report of every branch office, with charts, notes and the archive of past years$/m);
  t.regex(lines(screen)[28]!, /^Enter launch/);

  session.type('q');
  t.is(await session.waitForExit(), 0);
  // The workspace the menu started keeps running after it.
  t.like(await workspaceStatus(h.core(), 'office'), { state: 'running' });
  await h.removeVms();
});

tmuxTest('with LANG=C, TERM=linux and NO_COLOR=1 the menu writes only ASCII and no colour codes, and Esc leaves it', async (t) => {
  const h = await office(t);
  const argv = ['env', 'LANG=C', 'LC_ALL=', 'TERM=linux', 'NO_COLOR=1', process.execPath, TWINBOX_BIN, 'menu'];
  const session = new TmuxSession(t, argv, { env: h.env, columns: 80, rows: 24 });
  let screen = await session.waitFor('type to filter');
  t.regex(screen, /^> type to filter$/m);
  t.regex(screen, /^ > Notes$/m);
  session.type('notes');
  screen = await session.waitFor(/^ > Notes$/m);
  t.regex(screen, /^in office$/m);
  session.send('Enter');
  screen = await session.waitFor('Notes (office): exit 0');
  t.regex(screen, /^notes: \?quoted\? in UTF-8$/m, 'the guest\'s non-ASCII output is shown as ?');
  t.regex(screen, /\^v scroll/);
  session.send('Escape');
  screen = await session.waitFor('2 of 4');
  const raw = screenWithEscapes(session);
  t.notRegex(raw, /[^\x00-\x7F]/, 'only ASCII bytes on the screen');
  t.deepEqual(colourCodes(raw), [], 'no colour escape codes');
  session.send('Escape');
  t.is(await session.waitForExit(), 0);
  await h.removeVms();
});

tmuxTest('a dropped connection (the terminal killed under the menu) ends the menu and leaves the workspace running', async (t) => {
  const h = await office(t);
  await startWorkspace(h.core(), 'office');
  const session = new TmuxSession(t, [process.execPath, TWINBOX_BIN, 'menu'], { env: { ...h.env, LANG: 'C.UTF-8' }, columns: 80, rows: 24 });
  await session.waitFor('type to filter');
  session.kill();
  // The menu process goes (SIGHUP); the fake guest of the workspace stays.
  const deadline = Date.now() + 30_000;
  let left = await h.leftoverProcesses();
  while (left.some((line) => line.includes(' menu')) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = await h.leftoverProcesses();
  }
  t.deepEqual(left.filter((line) => line.includes(' menu')), []);
  t.like(await workspaceStatus(h.core(), 'office'), { state: 'running' });
  await h.removeVms();
  t.deepEqual(await h.leftoverProcesses(), []);
});

tmuxTest('a terminal app takes the menu off the screen and the menu comes back when it ends', async (t) => {
  const h = await office(t);
  const session = new TmuxSession(t, [process.execPath, TWINBOX_BIN, 'menu'], { env: { ...h.env, LANG: 'C.UTF-8' }, columns: 80, rows: 24 });
  await session.waitFor('type to filter');
  session.type('shell');
  await session.waitFor(/^ › Shell \(terminal\)$/m);
  session.send('Enter');
  // The guest shell's prompt on a screen the menu has left.
  let screen = await session.waitFor((shown) => /^[#$] $/m.test(`${shown.trimEnd().split('\n').at(-1)} `) && !shown.includes('type to filter'));
  t.notRegex(screen, /Shell \(terminal\)/, 'the menu is off the screen');
  session.type('echo "hi from $((40 + 2))"; exit 3');
  session.send('Enter');
  screen = await session.waitFor(/^Shell ended \(exit 3\)$/m);
  t.regex(screen, /^› shell {2}1 of 4$/m, 'the filter survives the trip');
  t.regex(screen, /^ › Shell \(terminal\)$/m, 'and so does the selection');
  t.notRegex(screen, /hi from 42/, 'the app’s screen is gone');
  session.send('Escape');
  session.send('Escape');
  t.is(await session.waitForExit(), 0);
  await h.removeVms();
});

tmuxTest('a terminal app that cannot run leaves the menu on the screen with the reason and the hint (here a machine without socat)', async (t) => {
  const h = await office(t);
  // Only what tmux and the menu need: without socat the fake guest the menu boots has no console ports.
  const path = narrowPath(t, ['sh', 'tmux']);
  const session = new TmuxSession(t, [process.execPath, TWINBOX_BIN, 'menu'], { env: { ...h.env, PATH: path, LANG: 'C.UTF-8' }, columns: 200, rows: 24 });
  await session.waitFor('type to filter');
  session.type('shell');
  await session.waitFor(/^ › Shell \(terminal\)$/m);
  session.send('Enter');
  const screen = await session.waitFor(/✗ Shell: the .* VM of "office" offers no console port/);
  t.regex(screen, /^✗ Shell: the fake \(simulated\) VM of "office" offers no console port for terminal apps \(VM [a-z0-9-]+ has no console ports \(socat is not installed on this machine\)\)$/m);
  t.regex(screen, /^hint: run terminal apps on a hypervisor with console ports \(QEMU, or the fake one with socat installed\)/m);
  t.regex(screen, /› shell/, 'the filter survives the trip');
  session.send('Escape');
  t.is(await session.waitForExit(), 0);
  await h.removeVms();
});
