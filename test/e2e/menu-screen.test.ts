import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { stoppedOffice } from './helpers/stopped-workspace.js';
import { TWINBOX_BIN } from '../helpers/cli.js';
import { PtyScreen } from '../helpers/screen/pty-screen.js';
import { terminalRestored } from '../helpers/screen/restored.js';

/** The fake's console ports are socat's pseudo-terminals (CI installs it). */
const socatMissing = (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, 'socat'))) ? undefined : 'socat is not installed (apt-get install socat)';

const FILES = {
  'etc/hostname': 'base\n',
  'usr/bin/greet': '#!/bin/sh\necho "hello from the guest"\necho "line two"\n',
  'usr/share/applications/greet.desktop': '[Desktop Entry]\nType=Application\nName=Greeter\nExec=/usr/bin/greet\nX-Twinbox-Kind=command\nCategories=Tools;\n',
  'usr/bin/notes': '#!/bin/sh\necho "notes: quoted"\n',
  'usr/share/applications/notes.desktop': '[Desktop Entry]\nType=Application\nName=Notes\nExec=/usr/bin/notes\nX-Twinbox-Kind=command\n',
  'usr/share/applications/report.desktop': '[Desktop Entry]\nType=Application\nName=Quarterly report of every branch office, with charts, notes and the archive of past years\nExec=/usr/bin/report\nX-Twinbox-Kind=command\n',
  // bash turns on bracketed paste (readline), so the terminal brackets what is pasted into it.
  'usr/share/applications/shell.desktop': '[Desktop Entry]\nType=Application\nName=Shell\nExec=/bin/bash --norc --noprofile\nTerminal=true\n',
};

const SIZES = [
  [80, 24],
  [60, 20],
] as const;

const ENV = { LANG: 'C.UTF-8', LC_ALL: undefined, NO_COLOR: '1', TERM: 'xterm-256color' };

/** menu open → filter → move → clear the filter → launch a command app → back → quit. */
async function commandJourney(t: ExecutionContext, columns: number, rows: number, env: NodeJS.ProcessEnv, variant?: string): Promise<void> {
  const h = await stoppedOffice(t, FILES);
  const ui = new PtyScreen(t, [process.execPath, TWINBOX_BIN, 'menu'], { env: { ...h.env, ...env }, columns, rows, journey: 'menu-command', variant });
  await ui.step('01-open', 'type to filter');
  await ui.type('e');
  await ui.step('02-filter-e', /of 4/);
  ui.send('Down');
  await ui.step('03-move-down', /of 4/);
  await ui.type('s');
  await ui.step('04-filter-es', /of 4/);
  ui.send('C-u');
  await ui.step('05-filter-cleared', 'type to filter');
  ui.send('Down', 'Down', 'Down');
  await ui.step('06-moved-to-greeter', 'type to filter');
  ui.send('Enter');
  await ui.step('07-command-output', 'exit 0');
  ui.send('Escape');
  await ui.step('08-back', 'type to filter');
  ui.send('Escape');
  t.deepEqual(await ui.waitForExit(), { exitCode: 0 });
  terminalRestored(t, ui);
  await h.removeVms();
}

for (const [columns, rows] of SIZES) {
  test.serial(`menu at ${columns}x${rows}: open, filter, move, clear the filter, launch a command app and come back, every step a whole screen`, (t) => commandJourney(t, columns, rows, ENV));
}

test.serial('menu at 80x24 on TERM=linux with LANG=C: the same journey in ASCII', (t) => commandJourney(t, 80, 24, { LANG: 'C', LC_ALL: undefined, NO_COLOR: '1', TERM: 'linux' }, 'linux-80x24'));
test.serial('menu at 80x24 inside screen or tmux (TERM=screen): the same journey', (t) => commandJourney(t, 80, 24, { ...ENV, TERM: 'screen' }, 'screen-80x24'));
test.serial('menu at 200x50, a wide terminal: the same journey, the rows as wide as the screen', (t) => commandJourney(t, 200, 50, ENV));

/** menu → a terminal app → typing → a bracketed paste of awkward bytes → Ctrl-] → the menu, whole. */
async function terminalJourney(t: ExecutionContext, columns: number, rows: number): Promise<void> {
  const h = await stoppedOffice(t, FILES);
  const ui = new PtyScreen(t, [process.execPath, TWINBOX_BIN, 'menu'], { env: { ...h.env, ...ENV, PS1: '$ ' }, columns, rows, journey: 'menu-terminal' });
  await ui.step('01-open', 'type to filter');
  await ui.type('shell');
  await ui.step('02-filter-shell', '1 of 4');
  ui.send('Enter');
  await ui.waitFor((text) => /[#$] *$/.test(text.trimEnd() + ' ') && !text.includes('type to filter') && !text.includes('shell'), 30_000);
  await ui.type('echo typed-$((6*7))');
  ui.send('Enter');
  await ui.step('03-shell-typed', /^typed-42$/m);
  // A paste of digits and of a control byte that, typed, would mean something: 29 is Ctrl-]'s
  // byte value, and 0x1d Ctrl-] itself. The guest prints the code of the byte it received.
  t.true(ui.terminal.modes.bracketedPasteMode, 'the guest shell asked for bracketed paste');
  ui.paste(`echo pasted-29; printf 'code-%d\\n' "'\u001D"`);
  ui.send('Enter');
  await ui.waitFor(/^code-\d+$/m);
  t.regex(ui.text(), /^pasted-29$/m, 'the pasted digits 29 reached the guest');
  t.regex(ui.text(), /^code-29$/m, 'the pasted 0x1d reached the guest as a byte, and did not detach');
  t.is(ui.exit, undefined, 'the menu still runs');
  await ui.step('04-shell-pasted', /^code-29$/m);
  ui.send('C-]');
  await ui.step('05-back-after-ctrl-bracket', 'left with Ctrl-]');
  ui.send('Escape', 'Escape');
  t.deepEqual(await ui.waitForExit(), { exitCode: 0 });
  terminalRestored(t, ui);
  await h.removeVms();
}

for (const [columns, rows] of SIZES) {
  (socatMissing ? test.skip : test.serial)(`menu at ${columns}x${rows}: a terminal app takes typing and a bracketed paste with 29 and 0x1d in it, Ctrl-] brings the whole menu back`, (t) =>
    terminalJourney(t, columns, rows),
  );
}

test.serial('menu at 80x24: each key of a filter writes at most 300 bytes and leaves the whole screen right', async (t) => {
  const h = await stoppedOffice(t, FILES);
  const ui = new PtyScreen(t, [process.execPath, TWINBOX_BIN, 'menu'], { env: { ...h.env, ...ENV }, columns: 80, rows: 24, journey: 'menu-keystrokes' });
  await ui.step('01-open', 'type to filter');
  const sizes: number[] = [];
  for (const key of ['Down', 'Down', 'Up']) {
    const before = ui.output.length;
    ui.send(key);
    await ui.step(`02-${sizes.length}-${key.toLowerCase()}`, 'type to filter');
    sizes.push(ui.output.length - before);
  }
  let typed = '';
  for (const key of 'report') {
    typed += key;
    const before = ui.output.length;
    ui.send(key);
    await ui.step(`03-typed-${typed}`, new RegExp(`[›>] ${typed}  `));
    sizes.push(ui.output.length - before);
  }
  t.log(`bytes per keystroke at 80x24: ${sizes.join(', ')} (max ${Math.max(...sizes)})`);
  t.true(Math.max(...sizes) <= 300, `a keystroke wrote ${Math.max(...sizes)} bytes`);
  ui.send('Escape');
  t.deepEqual(await ui.waitForExit(), { exitCode: 0 });
  await h.removeVms();
});
