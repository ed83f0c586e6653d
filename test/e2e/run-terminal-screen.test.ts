import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import test from 'ava';
import { stoppedOffice } from './helpers/stopped-workspace.js';
import { TWINBOX_BIN } from '../helpers/cli.js';
import { PtyScreen } from '../helpers/screen/pty-screen.js';
import { terminalRestored } from '../helpers/screen/restored.js';

const socatMissing = (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, 'socat'))) ? undefined : 'socat is not installed (apt-get install socat)';

const FILES = {
  'etc/hostname': 'base\n',
  'usr/share/applications/shell.desktop': '[Desktop Entry]\nType=Application\nName=Shell\nExec=/bin/bash --norc --noprofile\nTerminal=true\n',
  // A program that turns on what full-screen programs turn on (bracketed paste, application
  // cursor keys and keypad, mouse tracking with SGR reports, focus events), then hangs.
  'usr/local/bin/modes-on': "#!/bin/sh\nprintf '\\033[?2004h\\033[?1h\\033=\\033[?1002h\\033[?1006h\\033[?1004h\\033[4h'\necho modes-on\nexec sleep 600\n",
  'usr/share/applications/modes.desktop': '[Desktop Entry]\nType=Application\nName=Modes\nExec=/usr/local/bin/modes-on\nTerminal=true\n',
};

(socatMissing ? test.skip : test)('twinbox run of a terminal app: a bracketed paste with 29 and 0x1d reaches the app whole, and Ctrl-] then leaves with exit 0', async (t) => {
  const h = await stoppedOffice(t, FILES);
  const ui = new PtyScreen(t, [process.execPath, TWINBOX_BIN, 'run', '--quiet', 'office', 'shell'], {
    env: { ...h.env, LANG: 'C.UTF-8', TERM: 'xterm-256color', NO_COLOR: '1', PS1: '$ ' },
    columns: 80,
    rows: 24,
    journey: 'run-terminal',
  });
  await ui.waitFor(/^\$ *$/m);
  t.true(ui.terminal.modes.bracketedPasteMode, 'the guest shell asked for bracketed paste');
  ui.paste(`echo pasted-29; printf 'code-%d\\n' "'\u001D"`);
  ui.send('Enter');
  await ui.waitFor(/^code-\d+$/m);
  t.regex(ui.text(), /^pasted-29$/m);
  t.regex(ui.text(), /^code-29$/m, 'the pasted 0x1d reached the guest and did not detach');
  ui.send('C-]');
  await ui.waitFor('twinbox: left the session (Ctrl-]); the app was hung up');
  t.deepEqual(await ui.waitForExit(), { exitCode: 0 });
  await h.removeVms();
});

(socatMissing ? test.skip : test)('leaving a terminal app with Ctrl-] turns off every mode it turned on: the host terminal is as before', async (t) => {
  const h = await stoppedOffice(t, FILES);
  const ui = new PtyScreen(t, [process.execPath, TWINBOX_BIN, 'run', '--quiet', 'office', 'modes'], {
    env: { ...h.env, LANG: 'C.UTF-8', TERM: 'xterm-256color', NO_COLOR: '1' },
    columns: 80,
    rows: 24,
    journey: 'run-terminal',
  });
  await ui.waitFor(/^modes-on$/m);
  t.true(ui.terminal.modes.bracketedPasteMode && ui.terminal.modes.applicationCursorKeysMode && ui.terminal.modes.sendFocusMode, 'the app turned its modes on');
  t.not(ui.terminal.modes.mouseTrackingMode, 'none');
  ui.send('C-]');
  await ui.waitFor('twinbox: left the session (Ctrl-]); the app was hung up');
  t.deepEqual(await ui.waitForExit(), { exitCode: 0 });
  terminalRestored(t, ui);
  await h.removeVms();
});
