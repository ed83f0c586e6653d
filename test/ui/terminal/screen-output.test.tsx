import test from 'ava';
import { menuEntry, orderMenu, type MenuEntry } from '../../../src/core/apps/menu-entries.js';
import type { CatalogApp } from '../../../src/core/setup/app-catalog.js';
import { compactCursorMoves } from '../../../src/ui/terminal/compact-output.js';
import { detectCapabilities } from '../../../src/ui/terminal/capabilities.js';
import { FrameModel } from '../../../src/ui/terminal/frame-model.js';
import { ScreenWriter } from '../../../src/ui/terminal/screen-output.js';
import { cursorMove, rewriteLine, screenUpdate } from '../../../src/ui/terminal/screen-update.js';
import { plainOffsets } from '../../../src/ui/terminal/sgr-state.js';
import { createTheme, ThemeProvider } from '../../../src/ui/terminal/theme.js';
import { keyboard, RecordingTerminal } from './helpers/memory-terminal.js';
import { ScreenModel } from './helpers/screen-model.js';
import { random } from './helpers/random.js';

// Ink draws nothing but its last frame while CI is set (it reads CI when it loads): these
// tests are about every frame, so Ink is loaded with CI unset.
delete process.env.CI;
const { render } = await import('ink');
const { MenuScreen } = await import('../../../src/ui/menu/menu-screen.js');
const { noLaunches } = await import('../menu/helpers/render-menu.js');

const COLUMNS = 80;
const ROWS = 24;

/** What a terminal shows after `lines` were drawn one per row on a blank screen. */
function drawn(lines: readonly string[]): ScreenModel {
  const screen = new ScreenModel(COLUMNS, lines.length);
  lines.forEach((line, row) => screen.apply(`\u001B[${row + 1}H${line}\u001B[0m`));
  return screen;
}

const WORDS = ['Text Editor', 'Terminal', 'Calculator', 'Notes (terminal)', 'Git Client', 'Weather', 'Log Viewer 2', 'Hex Editor 3', 'Écran', 'Дисплей', '表計算', '↓ more'];

function randomLine(next: () => number): string {
  const roll = next();
  if (roll < 0.15) return '';
  const word = WORDS[Math.floor(next() * WORDS.length)]!;
  if (roll < 0.3) return `\u001B[1m\u001B[36m${word}\u001B[39m\u001B[22m`;
  if (roll < 0.4) return ` \u001B[36m› \u001B[39m\u001B[4m\u001B[1m${word.slice(0, 2)}\u001B[24m${word.slice(2)}\u001B[22m`;
  if (roll < 0.45) return `${word} `.repeat(20).slice(0, COLUMNS);
  return `   ${word}`;
}

/** A next frame as a filter makes one: rows dropped, others moved up or down, a few changed. */
function nextFrame(shown: readonly string[], next: () => number): string[] {
  const kept = shown.filter(() => next() > 0.3);
  const frame: string[] = [];
  for (const line of kept) {
    if (next() < 0.2) frame.push(randomLine(next));
    frame.push(next() < 0.15 ? randomLine(next) : line);
  }
  while (frame.length < shown.length) frame.splice(Math.floor(next() * (frame.length + 1)), 0, next() < 0.5 ? '' : randomLine(next));
  return frame.slice(0, shown.length);
}

test('screen updates turn any screen into the next frame, whatever moved, changed or emptied (2,000 random frames)', (t) => {
  const next = random(7);
  let shown = Array.from({ length: ROWS }, () => randomLine(next));
  for (let round = 0; round < 2000; round++) {
    const frame = nextFrame(shown, next);
    const from = next() < 0.5 ? undefined : { row: Math.floor(next() * ROWS), column: next() < 0.3 ? Number.NaN : Math.floor(next() * COLUMNS) };
    const screen = drawn(shown);
    const update = screenUpdate(shown, frame, from, COLUMNS);
    // Where the cursor really is, as the update assumed: moved there first.
    screen.apply(`${from ? cursorMove(undefined, from.row, Number.isNaN(from.column) ? 0 : from.column) : ''}${from && Number.isNaN(from.column) ? '\u001B[5G' : ''}`);
    screen.apply(update.output);
    if (screen.cellsSnapshot() !== drawn(frame).cellsSnapshot()) {
      t.fail(`round ${round}: the screen differs\nshown ${JSON.stringify(shown)}\nframe ${JSON.stringify(frame)}\noutput ${JSON.stringify(update.output)}`);
      return;
    }
    shown = frame;
  }
  t.pass();
});

test('lines that move are moved, not written again: a list that lost its first rows costs a delete and an insert', (t) => {
  const shown = ['title', ...Array.from({ length: 20 }, (_, i) => `   Application number ${i}`), '', 'footer one', 'footer two'];
  const frame = ['title', ...shown.slice(4, 21), '', '', '', '', 'footer one', 'footer two'];
  const update = screenUpdate(shown, frame, undefined, COLUMNS);
  t.is(update.output, '\u001B[2H\u001B[3M\u001B[18E\u001B[3L');
  const screen = drawn(shown);
  screen.apply(update.output);
  t.is(screen.cellsSnapshot(), drawn(frame).cellsSnapshot());
});

test('a changed line is written from its first changed cell, to its last when both are as wide, never inside an attribute run', (t) => {
  t.is(rewriteLine({ row: 0, column: 0 }, 2, '› te  12 of 40', '› ter  8 of 40', COLUMNS).output, '\u001B[3;5Hr  8');
  // The matched letters are underlined: the changed cell lies inside the run, so the run is written whole.
  const old = ' \u001B[4mTe\u001B[24mrminal';
  const next = ' \u001B[4mTer\u001B[24mminal';
  t.deepEqual([...plainOffsets(next)].sort((a, b) => a - b), [0, 1, 13, 14, 15, 16, 17, 18]);
  t.is(rewriteLine(undefined, 0, old, next, COLUMNS).output, '\u001B[H \u001B[4mTer\u001B[24m');
  // A narrower line erases the old tail: with spaces when that is shorter than the erase sequence.
  t.is(rewriteLine({ row: 1, column: 0 }, 1, 'Notes 12', 'Notes 1', COLUMNS).output, '\u001B[8G ');
  t.is(rewriteLine({ row: 1, column: 0 }, 1, 'Notes (terminal)', 'Notes', COLUMNS).output, '\u001B[6G\u001B[K');
  // A character of uncertain width: the line is written whole and its tail erased.
  t.is(rewriteLine({ row: 0, column: 0 }, 3, '   表計算 A', '   表計算 B', COLUMNS).output, '\u001B[3E   表計算 B\u001B[K');
});

test('the frame model reads Ink\'s writes into the lines Ink means, and refuses what it cannot follow', (t) => {
  const model = new FrameModel(COLUMNS, 4);
  model.apply('one\ntwo\nthree\n');
  t.deepEqual(model.lines, ['one', 'two', 'three', '']);
  const step = model.apply('\u001B[?2026h\u001B[3A\u001B[E\u001B[1Gzwei\u001B[K\n\u001B[E\u001B[?2026l');
  t.deepEqual(model.lines, ['one', 'zwei', 'three', '']);
  t.deepEqual([step.before, step.after, step.changed], ['\u001B[?2026h', '\u001B[?2026l', true]);
  // A frame drawn with the widths of before a resize: cut at the edge, as the next frame will fit.
  const narrow = new FrameModel(10, 3);
  narrow.apply('\u001B[1mNAME       HYPERVISOR\u001B[22m\u001B[K\nok\n');
  t.deepEqual(narrow.lines, ['\u001B[1mNAME      \u001B[22m', 'ok', '']);
  t.throws(() => model.apply('\u001B[2;3Hx'), { message: /middle of a line/ });
  t.throws(() => model.apply('\u001B7'), { message: /control character|sequence/ });
});

test('a write the model cannot follow makes the writer pass writes through from then on, with the screen still right', (t) => {
  const writer = new ScreenWriter(() => ({ columns: COLUMNS, rows: 4 }));
  const original = new ScreenModel(COLUMNS, 4, { newlineReturns: true });
  const translated = new ScreenModel(COLUMNS, 4, { newlineReturns: true });
  for (const write of ['one\ntwo\nthree\n', '\u001B[3A\u001B[E\u001B[1Gzwei\u001B[K\n\u001B[E', '\u001B[2;3Hx', '\u001B[4Hfour']) {
    original.apply(write);
    translated.apply(writer.translate(write));
    t.is(translated.cellsSnapshot(), original.cellsSnapshot(), JSON.stringify(write));
  }
  t.regex(writer.fallbackReason ?? '', /middle of a line/);
});

test('after a resize the next frame clears the screen and is drawn whole', (t) => {
  let size = { columns: COLUMNS, rows: 4 };
  const writer = new ScreenWriter(() => size);
  t.is(writer.translate('one\ntwo\n'), '\u001B[H\u001B[2Jone\r\ntwo');
  t.is(writer.translate('\u001B[2A\u001B[E\u001B[1Gtwo!\u001B[K\n'), '!');
  size = { columns: 40, rows: 3 };
  writer.resized();
  t.is(writer.translate('\u001B[2K\u001B[1A\u001B[2K\u001B[1A\u001B[2K\u001B[Gone\ntwo!\n'), '\u001B[H\u001B[2Jone\r\ntwo!');
});


function catalogue(count: number): MenuEntry[] {
  const names = ['Text Editor', 'Terminal', 'Calculator', 'Calendar', 'Image Viewer', 'Log Viewer', 'Hex Editor', 'Network Tools', 'Notes', 'Weather'];
  const entries: MenuEntry[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${names[i % names.length]}${i >= names.length ? ` ${Math.floor(i / names.length) + 1}` : ''}`;
    const id = `${name.toLowerCase().replace(/ /g, '-')}-${i}`;
    const category = ['Office', 'Utility', undefined][i % 3];
    const app: CatalogApp = { id, name, kind: i % 4 === 0 ? 'terminal' : 'command', command: [`/usr/bin/${id}`], source: 'test', origin: 'discovered', categories: category ? [category] : undefined };
    entries.push(menuEntry(['office', 'lab', 'legacy'][i % 3]!, app, (i * 7) % 5));
  }
  return orderMenu(entries);
}

const afterFrame = () => new Promise((resolve) => setTimeout(resolve, 50));
const KEYS = [...'tex', '\u007F', '\u007F', '\u007F', ...'view', '\u0015', '\u001B[B', '\u001B[B', '\u001B[6~', '\u001B[A', ...'zzz', '\u0015', ...'cal', '\u007F', 'e'];

/** Ink's own writes for a menu session, each key awaited until its frame has been written. */
async function inkWrites(apps: number): Promise<string[]> {
  const terminal = new RecordingTerminal();
  const keys = keyboard();
  const theme = createTheme(detectCapabilities({ TERM: 'xterm-256color', LANG: 'C.UTF-8' }));
  const instance = render(
    <ThemeProvider theme={theme}>
      <MenuScreen entries={catalogue(apps)} launcher={noLaunches} onLeave={() => undefined} />
    </ThemeProvider>,
    { stdin: keys, stdout: terminal as unknown as NodeJS.WriteStream, stderr: terminal as unknown as NodeJS.WriteStream, exitOnCtrlC: false, incrementalRendering: true, patchConsole: false },
  );
  const deadline = Date.now() + 60_000;
  while (terminal.writes.length === 0 && Date.now() < deadline) await afterFrame();
  for (const key of KEYS) {
    const before = terminal.writes.length;
    keys.write(key);
    do await afterFrame();
    while (terminal.writes.length === before && Date.now() < deadline);
  }
  instance.unmount();
  return terminal.writes;
}

for (const apps of [12, 40, 120]) {
  test(`the screen writer draws the menu's screen exactly as Ink's own writes do, after every write, in fewer bytes (${apps} apps, 80x24)`, async (t) => {
    const writes = await inkWrites(apps);
    const writer = new ScreenWriter(() => ({ columns: COLUMNS, rows: ROWS }));
    const original = new ScreenModel(COLUMNS, ROWS, { newlineReturns: true });
    const translated = new ScreenModel(COLUMNS, ROWS, { newlineReturns: true });
    let inkBytes = 0;
    let writerBytes = 0;
    for (const [index, write] of writes.entries()) {
      const output = writer.translate(write);
      original.apply(write);
      translated.apply(output);
      inkBytes += Buffer.byteLength(compactCursorMoves(write));
      writerBytes += Buffer.byteLength(output);
      if (original.cellsSnapshot() !== translated.cellsSnapshot()) {
        t.fail(`the screens differ after write ${index}: ${JSON.stringify(write)} written as ${JSON.stringify(output)}`);
        return;
      }
    }
    t.is(writer.fallbackReason, undefined);
    t.true(writes.length > KEYS.length, `only ${writes.length} writes for ${KEYS.length} keys`);
    t.true(writerBytes < inkBytes, `${writerBytes} bytes written, ${inkBytes} by compacted Ink output`);
  });
}
