import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { stoppedOffice } from './helpers/stopped-workspace.js';
import { TWINBOX_BIN } from '../helpers/cli.js';
import { PtyScreen } from '../helpers/screen/pty-screen.js';
import { terminalRestored } from '../helpers/screen/restored.js';

const ENV = { LANG: 'C.UTF-8', LC_ALL: undefined, NO_COLOR: '1', TERM: 'xterm-256color' };

/**
 * A command app that prints a line, then works until the test lets it go on (a file on the
 * host: the fake guest's programs are host processes), then prints its last line.
 */
function files(gate: string): Record<string, string> {
  return {
    'etc/hostname': 'base\n',
    'usr/bin/slow': `#!/bin/sh\necho "first line"\nwhile [ ! -e '${gate}' ]; do sleep 0.1; done\necho "last line"\n`,
    'usr/share/applications/slow.desktop': '[Desktop Entry]\nType=Application\nName=Slow report\nExec=/usr/bin/slow\nX-Twinbox-Kind=command\n',
  };
}

/** menu → a command app that takes a while: its first line on screen while it runs, then the whole output. */
async function liveOutput(t: ExecutionContext, columns: number, rows: number): Promise<void> {
  const gates = mkdtempSync(join(tmpdir(), 'tbx-gate-'));
  t.teardown(() => rmSync(gates, { recursive: true, force: true }));
  const gate = join(gates, 'go');
  const h = await stoppedOffice(t, files(gate));
  const ui = new PtyScreen(t, [process.execPath, TWINBOX_BIN, 'menu'], { env: { ...h.env, ...ENV }, columns, rows, journey: 'menu-live-output' });
  await ui.step('01-open', 'type to filter');
  ui.send('Enter');
  // The app has written its first line and still runs: the screen shows that line already.
  await ui.step('02-running', (text) => text.includes('first line') && text.includes('running'));
  // Keys other than Ctrl-C do not close the output of an app that still runs.
  ui.send('Escape');
  await ui.step('02-running', (text) => text.includes('first line') && text.includes('running'));
  writeFileSync(gate, '');
  await ui.step('03-done', 'exit 0');
  ui.send('Escape');
  await ui.step('04-back', 'type to filter');
  ui.send('Escape');
  t.deepEqual(await ui.waitForExit(), { exitCode: 0 });
  terminalRestored(t, ui);
  await h.removeVms();
}

for (const [columns, rows] of [
  [80, 24],
  [60, 20],
] as const) {
  test.serial(`menu at ${columns}x${rows}: a command app's output is on screen while the app still runs, whole screens`, (t) => liveOutput(t, columns, rows));
}
