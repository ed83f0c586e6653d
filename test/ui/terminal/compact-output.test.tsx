import test from 'ava';
import { EventEmitter } from 'node:events';
import { menuEntry, orderMenu, type MenuEntry } from '../../../src/core/apps/menu-entries.js';
import type { CatalogApp } from '../../../src/core/setup/app-catalog.js';
import { compactCursorMoves, compactOutput } from '../../../src/ui/terminal/compact-output.js';
import { detectCapabilities } from '../../../src/ui/terminal/capabilities.js';
import { createTheme, ThemeProvider } from '../../../src/ui/terminal/theme.js';
import { keyboard, RecordingTerminal } from './helpers/memory-terminal.js';
import { ScreenModel } from './helpers/screen-model.js';

// Ink draws nothing but its last frame while CI is set (it reads CI when it loads), and CI runs
// with CI=true: these tests are about every frame, so Ink is loaded here with CI unset.
delete process.env.CI;
const { render } = await import('ink');
const { MenuScreen } = await import('../../../src/ui/menu/menu-screen.js');
const { renderApp } = await import('../../../src/ui/terminal/render-app.js');
const { noLaunches } = await import('../menu/helpers/render-menu.js');

const ENV = { TERM: 'xterm-256color', LANG: 'C.UTF-8' };
const WORDS = ['Text', 'Image', 'Disk', 'Network', 'Music', 'Log', 'Hex', 'Password', 'Remote', 'System'];
const KINDS = ['Editor', 'Viewer', 'Monitor', 'Player', 'Tools', 'Console'];

/** `count` apps over three workspaces and a few categories, as a user's menu has them. */
function catalogue(count: number): MenuEntry[] {
  const entries: MenuEntry[] = [];
  for (let i = 0; i < count; i++) {
    const workspace = ['office', 'lab', 'legacy'][i % 3]!;
    const category = ['Office', 'Utility', undefined][i % 3];
    const name = `${WORDS[i % WORDS.length]} ${KINDS[i % KINDS.length]}${i >= 30 ? ` ${i}` : ''}`;
    const id = `${name.toLowerCase().replace(/ /g, '-')}-${i}`;
    const app: CatalogApp = { id, name, kind: i % 4 === 0 ? 'terminal' : 'command', command: [`/usr/bin/${id}`], source: 'test', origin: 'discovered', categories: category ? [category] : undefined };
    entries.push(menuEntry(workspace, app, (i * 7) % 5));
  }
  return orderMenu(entries);
}


/** Longer than Ink's frame interval, so each key is drawn in a frame of its own, as typing is. */
const afterFrame = () => new Promise((resolve) => setTimeout(resolve, 50));

async function firstFrame(terminal: RecordingTerminal): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (terminal.writes.length === 0 && Date.now() < deadline) await afterFrame();
}

/**
 * Types one key and waits for the frame it draws (every key of KEYS changes the screen): a
 * loaded machine draws late, and a key sent before the last one's frame would share it.
 */
async function typeAndAwaitFrame(keys: NodeJS.ReadStream, terminal: RecordingTerminal, key: string): Promise<void> {
  const before = terminal.writes.length;
  keys.write(key);
  const deadline = Date.now() + 10_000;
  do await afterFrame();
  while (terminal.writes.length === before && Date.now() < deadline);
}

/** The screen the terminal's writes draw, once it satisfies `check` (a loaded machine draws late); the last one after a minute. */
async function screenShows(terminal: RecordingTerminal, check: (text: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const screen = new ScreenModel(80, 24);
    for (const write of terminal.writes) screen.apply(write);
    if (check(screen.text()) || Date.now() > deadline) return screen.text();
    await afterFrame();
  }
}

/** Typing, correcting, clearing and moving: the frames that rewrite most and least of the screen. */
const KEYS = [...'tex', '\u007F', '\u007F', '\u007F', ...'view', '\u0015', '\u001B[B', '\u001B[B', '\u001B[6~', '\u001B[A', ...'zzz', '\u0015', ...'mon'];

/** What Ink itself writes for the menu, rendered as `renderApp` renders it but without compaction. */
async function inkWrites(apps: number): Promise<string[]> {
  const terminal = new RecordingTerminal();
  const keys = keyboard();
  const theme = createTheme(detectCapabilities(ENV));
  const instance = render(
    <ThemeProvider theme={theme}>
      <MenuScreen entries={catalogue(apps)} launcher={noLaunches} onLeave={() => undefined} />
    </ThemeProvider>,
    { stdin: keys, stdout: terminal as unknown as NodeJS.WriteStream, stderr: terminal as unknown as NodeJS.WriteStream, exitOnCtrlC: false, incrementalRendering: true, patchConsole: false },
  );
  await firstFrame(terminal);
  for (const key of KEYS) await typeAndAwaitFrame(keys, terminal, key);
  // A loaded machine draws late: the last key's frame is awaited, not assumed.
  const written = () => terminal.writes.join('').replace(/\u001B\[[?0-9;]*[A-Za-z]/g, '');
  const deadline = Date.now() + 60_000;
  while (!written().includes('› mon') && Date.now() < deadline) await afterFrame();
  instance.unmount();
  return terminal.writes;
}

test('compaction counts next-line moves, drops a column-1 move after one and writes the others as a carriage return', (t) => {
  t.is(compactCursorMoves('\u001B[22A\u001B[E\u001B[1Gtitle\u001B[K\n\u001B[E\u001B[E\u001B[E\u001B[1Grow\u001B[K\n\u001B[1Gnext\u001B[K\n\u001B[E\u001B[E'), '\u001B[22A\u001B[Etitle\u001B[K\n\u001B[3Erow\u001B[K\n\rnext\u001B[K\n\u001B[2E');
  // Other sequences, and moves to other columns, are left as they are.
  t.is(compactCursorMoves('\u001B[2K\u001B[1A\u001B[G\u001B[12G\u001B[1;1H\u001B[36mx\u001B[39m'), '\u001B[2K\u001B[1A\u001B[G\u001B[12G\u001B[1;1H\u001B[36mx\u001B[39m');
});

for (const apps of [12, 40, 120]) {
  test(`the compacted menu frames draw the same screen as Ink's own after every write (${apps} apps, 80x24)`, async (t) => {
    const writes = await inkWrites(apps);
    const original = new ScreenModel(80, 24);
    const compacted = new ScreenModel(80, 24);
    let frames = 0;
    for (const write of writes) {
      original.apply(write);
      compacted.apply(compactCursorMoves(write));
      if (original.snapshot() !== compacted.snapshot()) {
        t.fail(`the screens differ after write ${frames}: ${JSON.stringify(write)}`);
        return;
      }
      frames++;
    }
    t.true(frames > KEYS.length, `only ${frames} writes for ${KEYS.length} keys`);
    t.regex(original.text().join('\n'), /› mon/);
    const bytes = (texts: string[]) => texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    t.true(bytes(writes.map(compactCursorMoves)) < bytes(writes), 'compaction saved nothing');
  });
}

test('renderApp writes the menu with short cursor moves, and Ink hears the terminal\'s resizes through it', async (t) => {
  const terminal = new RecordingTerminal();
  const keys = keyboard();
  const running = renderApp(() => <MenuScreen entries={catalogue(40)} launcher={noLaunches} onLeave={() => undefined} />, {
    stdin: keys,
    stdout: terminal as unknown as NodeJS.WriteStream,
    stderr: terminal as unknown as NodeJS.WriteStream,
    env: ENV,
    alternateScreen: true,
  });
  t.teardown(() => running.instance.unmount());
  await firstFrame(terminal);
  for (const key of 'text') await typeAndAwaitFrame(keys, terminal, key);
  const lines = await screenShows(terminal, (text) => text.some((line) => line.startsWith('› text')));
  t.true(lines.some((line) => /^› text\s+\d+ of 40$/.test(line)), lines.join('\n'));
  const written = terminal.writes.join('');
  t.false(written.includes('\u001B[1G'), 'a column-1 move was written as Ink wrote it');
  t.false(written.includes('\u001B[E\u001B[E'), 'next-line moves were written one by one');

  // A narrower terminal: Ink hears the resize through the compacted output and draws the menu again.
  const before = terminal.writes.length;
  terminal.columns = 60;
  terminal.emit('resize');
  const redrawn = () => terminal.writes.slice(before).join('');
  const deadline = Date.now() + 60_000;
  while (!redrawn().includes('› text') && Date.now() < deadline) await afterFrame();
  t.true(redrawn().includes('› text'), 'the menu was not drawn again after the resize');
});

test('the compacted output is the same object for the same terminal and passes other members through', (t) => {
  const terminal = new RecordingTerminal();
  const compacted = compactOutput(terminal as unknown as NodeJS.WriteStream);
  t.is(compactOutput(terminal as unknown as NodeJS.WriteStream), compacted);
  t.is(compacted.columns, 80);
  t.true(compacted.isTTY);
  let resized = 0;
  const onResize = () => resized++;
  compacted.on('resize', onResize);
  (terminal as EventEmitter).emit('resize');
  compacted.off('resize', onResize);
  (terminal as EventEmitter).emit('resize');
  t.is(resized, 1);
  compacted.write('\u001B[E\u001B[1Gx');
  t.deepEqual(terminal.writes, ['\u001B[Ex']);
});
