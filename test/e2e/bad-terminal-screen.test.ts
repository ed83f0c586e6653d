import test, { type ExecutionContext } from 'ava';
import { stoppedOffice } from './helpers/stopped-workspace.js';
import { TWINBOX_BIN } from '../helpers/cli.js';
import { PtyScreen } from '../helpers/screen/pty-screen.js';
import { masks } from '../helpers/screen/masks.js';
import { terminalRestored } from '../helpers/screen/restored.js';

const FILES = {
  'etc/hostname': 'base\n',
  'usr/bin/greet': '#!/bin/sh\necho "hello from the guest"\n',
  'usr/share/applications/greet.desktop': '[Desktop Entry]\nType=Application\nName=Greeter\nExec=/usr/bin/greet\nX-Twinbox-Kind=command\n',
};

/** The message, wrapped over lines as a 40-column terminal shows it. */
const TOO_SMALL = (text: string) => /needs a terminal of at least \d+x\d+ \(this one is 40x10\)/.test(text.replace(/\s+/g, ' '));

const ENV = { LANG: 'C.UTF-8', LC_ALL: undefined, LC_CTYPE: undefined, NO_COLOR: '1', TERM: 'xterm-256color' };

/** A 40x10 terminal: one line saying the size needed; larger, the screen itself; smaller again, the line; q quits. */
async function tooSmall(t: ExecutionContext, argv: string[], journey: string, ready: RegExp): Promise<void> {
  const h = await stoppedOffice(t, FILES);
  const ui = new PtyScreen(t, [process.execPath, TWINBOX_BIN, ...argv], { env: { ...h.env, ...ENV }, columns: 40, rows: 10, journey, variant: '40x10', masks: masks(h.home) });
  await ui.step('01-too-small', TOO_SMALL);
  ui.resize(80, 24);
  await ui.step('02-made-larger', ready);
  ui.resize(40, 10);
  await ui.step('03-small-again', TOO_SMALL);
  ui.send('q');
  t.deepEqual(await ui.waitForExit(), { exitCode: 0 });
  terminalRestored(t, ui);
  await h.removeVms();
}

test.serial('the menu on a 40x10 terminal says the size it needs, draws itself once there is room, and q still quits', (t) => tooSmall(t, ['menu'], 'menu-too-small', /Greeter/));
test.serial('the dashboard on a 40x10 terminal says the size it needs, draws itself once there is room, and q still quits', (t) => tooSmall(t, [], 'dashboard-too-small', /office .*stopped/));

/** TERM=dumb: a terminal that can move no cursor. */
async function dumb(t: ExecutionContext, argv: string[], journey: string, expected: RegExp): Promise<void> {
  const h = await stoppedOffice(t, FILES);
  const ui = new PtyScreen(t, [process.execPath, TWINBOX_BIN, ...argv], { env: { ...h.env, ...ENV, TERM: 'dumb' }, columns: 80, rows: 24, journey, variant: 'dumb-80x24' });
  await ui.waitFor(expected);
  const exit = await ui.waitForExit();
  await ui.step('01-refused', expected);
  t.is(exit.exitCode, 2);
  t.notRegex(ui.output, /\u001B/, 'no escape sequence is written to a dumb terminal');
  await h.removeVms();
}

test.serial('the menu on TERM=dumb refuses in one line with the fix, exit 2, no escape sequences', (t) => dumb(t, ['menu'], 'menu-dumb', /dumb/));
test.serial('the dashboard on TERM=dumb refuses in one line with the fix, exit 2, no escape sequences', (t) => dumb(t, [], 'dashboard-dumb', /dumb/));
