import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { stoppedOffice } from './helpers/stopped-workspace.js';
import { TWINBOX_BIN } from '../helpers/cli.js';
import { TmuxSession, tmuxMissing } from '../helpers/tmux.js';
import { eventually, processAlive } from '../plugins/fake/helpers/fake-fixture.js';

/** The fake's console ports are socat's pseudo-terminals (CI installs it). */
const socatMissing = (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, 'socat'))) ? undefined : 'socat is not installed (apt-get install socat)';
const skip = tmuxMissing() ?? socatMissing;
const tmuxTest = skip ? test.skip : test;

const FILES = {
  'etc/hostname': 'base\n',
  'usr/share/applications/shell.desktop': '[Desktop Entry]\nType=Application\nName=Shell\nExec=/bin/sh\nTerminal=true\n',
};

const office = (t: ExecutionContext) => stoppedOffice(t, FILES);

/** The guest shell's prompt at the end of the last line written (root's `#`, anyone else's `$`). */
const PROMPT = /[#$] $/;

/** The guest's programs of that name: host processes working in the guest root. */
async function guestPrograms(root: string, name: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      if ((await readFile(`/proc/${entry}/comm`, 'utf8')).trim() === name && (await readlink(`/proc/${entry}/cwd`)) === root) found.push(Number(entry));
    } catch {
      // gone, or not ours to look at
    }
  }
  return found;
}

function lastLine(screen: string): string {
  return screen.trimEnd().split('\n').at(-1) ?? '';
}

/** Waits until the shell has printed its prompt after `marker` (which the screen must show on a line of its own). */
function afterPrompt(session: TmuxSession, marker: RegExp): Promise<string> {
  return session.waitFor((screen) => marker.test(screen) && PROMPT.test(`${lastLine(screen)} `));
}

tmuxTest('twinbox run of a terminal app on the fake: the guest shell answers typing, sees resizes and Ctrl-C, and its exit code is twinbox’s', async (t) => {
  const h = await office(t);
  const session = new TmuxSession(t, [process.execPath, TWINBOX_BIN, 'run', 'office', 'shell'], { env: { ...h.env, LANG: 'C.UTF-8' }, columns: 80, rows: 24 });
  await session.waitFor((screen) => PROMPT.test(`${lastLine(screen)} `));

  session.type('echo "typed $((6 * 7))"');
  session.send('Enter');
  await afterPrompt(session, /^typed 42$/m);

  session.type('stty size');
  session.send('Enter');
  await afterPrompt(session, /^24 80$/m);
  session.resize(100, 30);
  // twinbox passes the new size on through the agent, beside what is typed: wait until the guest has it.
  const console0 = join(h.guestRoot('office'), 'dev', 'hvc0');
  t.true(await eventually(() => execFileSync('stty', ['-F', console0, 'size'], { encoding: 'utf8' }).trim() === '30 100', 10_000));
  session.type('stty size');
  session.send('Enter');
  await afterPrompt(session, /^30 100$/m);

  // Ctrl-C reaches the guest's foreground program through its terminal, not twinbox.
  session.type('sleep 100; echo "not interrupted"');
  session.send('Enter');
  const root = h.guestRoot('office');
  t.true(await eventually(async () => (await guestPrograms(root, 'sleep')).length === 1), 'sleep runs in the guest');
  session.send('C-c');
  await afterPrompt(session, /^\^C$/m);
  session.type('echo "back at $((1 + 1))"');
  session.send('Enter');
  const screen = await afterPrompt(session, /^back at 2$/m);
  t.notRegex(screen, /^not interrupted$/m, 'the interrupt stopped the whole line');

  session.type('exit 3');
  session.send('Enter');
  t.is(await session.waitForExit(), 3, 'twinbox exits with the app’s exit code');
  await h.removeVms();
});

tmuxTest('Ctrl-] leaves a terminal app on the fake: the guest program is hung up and twinbox says so', async (t) => {
  const h = await office(t);
  const session = new TmuxSession(t, [process.execPath, TWINBOX_BIN, 'run', 'office', 'shell'], { env: { ...h.env, LANG: 'C.UTF-8' }, columns: 80, rows: 24 });
  await session.waitFor((screen) => PROMPT.test(`${lastLine(screen)} `));
  // The wrapper wrote the program's pid in the guest's own /tmp (TMPDIR), not the host's.
  const pid = Number(readFileSync(join(h.guestRoot('office'), 'tmp', 'twinbox-hvc0.pid'), 'utf8'));
  t.true(await processAlive(pid), 'the guest shell runs');
  session.send('C-]');
  await session.waitFor('twinbox: left the session (Ctrl-]); the app was hung up');
  t.is(await session.waitForExit(), 0, 'leaving with Ctrl-] is no failure');
  t.true(await eventually(async () => !(await processAlive(pid))), 'the guest shell was hung up');
  await h.removeVms();
});
