import test, { type ExecutionContext } from 'ava';
import { screenOutput, ScreenWriter } from '../../../src/ui/terminal/screen-output.js';
import { framed, screensDiffer, XtermScreen, XtermStream } from './helpers/xterm-screen.js';
import { random } from './helpers/random.js';

// The screen writer's output read by a real terminal emulator, whole screens compared: the
// cases where a terminal and the writer's idea of it can part — a write that ends in the last
// cell of the bottom row, text of uncertain width, a resize racing a frame, a warning written
// on stderr between Ink's erase and its redraw.

/** Ink's standard renderer: the erase of its last frame's lines (ansi-escapes' eraseLines). */
function eraseLines(count: number): string {
  let erase = '';
  for (let i = 0; i < count; i++) erase += `\u001B[2K${i < count - 1 ? '\u001B[1A' : ''}`;
  return count > 0 ? `${erase}\u001B[G` : '';
}

/** Ink's full-screen frame once the last one filled the terminal: clear, then the lines. */
const fullFrame = (lines: readonly string[]) => `\u001B[2J\u001B[3J\u001B[H${lines.join('\n')}`;

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Writes what the writer makes of Ink's `write`, then checks that the whole screen shows `lines`. */
async function drawsAs(t: ExecutionContext, screen: XtermScreen, writer: ScreenWriter, write: string, lines: readonly string[]): Promise<void> {
  screen.write(writer.translate(write));
  await screen.settled();
  t.is(screensDiffer(framed(lines, screen.columns, screen.rows), screen.lines()), undefined);
}

function dashboardLines(columns: number, rows: number, footer: string, body: (row: number) => string = (row) => `  workspace row ${row}`): string[] {
  return [`\u001B[1m\u001B[36mtwinbox dashboard · 2 workspaces\u001B[39m\u001B[22m`, ...Array.from({ length: rows - 2 }, (_, row) => body(row + 1)), footer.slice(0, columns)];
}

test('a frame that fills the bottom row to its last cell leaves the cursor at that row\'s start, not waiting to wrap: a character written next cannot scroll the screen', async (t) => {
  const screen = new XtermScreen(80, 24);
  t.teardown(() => screen.dispose());
  const writer = new ScreenWriter(() => ({ columns: 80, rows: 24 }));
  // A footer exactly as wide as the terminal, its last character in the bottom-right cell.
  const footer = `${'? help q quit / filter s start S stop F force stop p suspend/resume r restart '.padEnd(79, '.')}f`;
  const lines = dashboardLines(80, 24, footer);
  await drawsAs(t, screen, writer, fullFrame(lines), lines);
  t.deepEqual(screen.cursor(), { row: 23, column: 0 });
  // Anything else that writes now (a stray warning) writes over the bottom row; nothing moves up.
  screen.write('X');
  await screen.settled();
  t.is(screen.lines()[0], 'twinbox dashboard · 2 workspaces');
  t.is(screen.lines()[23], `X${footer.slice(1)}`);
});

test('after a frame that filled the bottom-right cell, the next frame is drawn from where the cursor really is', async (t) => {
  const screen = new XtermScreen(80, 24);
  t.teardown(() => screen.dispose());
  const writer = new ScreenWriter(() => ({ columns: 80, rows: 24 }));
  const lines = dashboardLines(80, 24, `${'? help q quit '.padEnd(79, '.')}f`);
  const next = dashboardLines(80, 24, '? help q quit', (row) => (row === 3 ? '  office running' : `  workspace row ${row}`));
  for (const frame of [lines, next, lines]) {
    await drawsAs(t, screen, writer, fullFrame(frame), frame);
  }
});

test('text after a character of uncertain width stays on its line: the confirmation\'s right border is drawn', async (t) => {
  const screen = new XtermScreen(80, 6);
  t.teardown(() => screen.dispose());
  const writer = new ScreenWriter(() => ({ columns: 80, rows: 6 }));
  // Ink's dialog: border, warning sign and question in colour, padding, border.
  const question = `\u001B[33m│\u001B[39m \u001B[33m\u001B[1m▲ Force stop office? The VM is powered off at once\u001B[22m\u001B[39m${' '.repeat(21)} \u001B[33m│\u001B[39m`;
  const lines = ['title', `\u001B[33m╭${'─'.repeat(74)}╮\u001B[39m`, question, `\u001B[33m╰${'─'.repeat(74)}╯\u001B[39m`, 'summary', 'footer'];
  await drawsAs(t, screen, writer, lines.join('\n'), lines);
  t.is(screen.lines()[2]!.at(-1), '│');
  t.is(writer.fallbackReason, undefined);
  // Written again with one change after the sign: the line is rewritten whole, border included.
  const changed = [...lines];
  changed[2] = question.replace('office', 'studio');
  await drawsAs(t, screen, writer, fullFrame(changed), changed);
});

test('frames drawn at the old size while the terminal already has the new one are followed by the whole screen drawn again at the new size', async (t) => {
  const screen = new XtermScreen(110, 30);
  t.teardown(() => screen.dispose());
  let size = { columns: 110, rows: 30 };
  const writer = new ScreenWriter(() => size);
  const wide = (row: number) => `  office   fake (simulated)   running   ok 3ms   3 ready   2 cpu   1024 MiB   row ${row}`.padEnd(105, '.');
  const footer = '? help q quit / filter s start S stop F force stop p suspend/resume r restart R reset n snapshot u setup';
  screen.write(writer.translate(fullFrame(dashboardLines(110, 30, footer, wide))));
  // The window shrinks; the program has not heard yet and draws twice more at 110x30, over the
  // bottom row's last cell and off the bottom of the smaller screen.
  screen.resize(80, 24);
  screen.write(writer.translate(fullFrame(dashboardLines(110, 30, footer, (row) => `${wide(row)}!`))));
  screen.write(writer.translate(fullFrame(dashboardLines(110, 30, `${footer}  Enter details`, wide))));
  await screen.settled();
  // Then it hears: Ink erases its frame (width decreased), draws the old layout cut at the new
  // width (30 lines on 24 rows), then the new layout.
  size = { columns: 80, rows: 24 };
  writer.resized();
  screen.write(writer.translate(eraseLines(30)));
  screen.write(writer.translate(fullFrame(dashboardLines(110, 30, footer, wide))));
  const narrow = dashboardLines(80, 24, footer, (row) => `  office   fake (simulated)   running   row ${row}`);
  await drawsAs(t, screen, writer, fullFrame(narrow), narrow);
  // A frame Ink draws before the resize event is heard is drawn at the size the terminal has.
  screen.resize(60, 20);
  size = { columns: 60, rows: 20 };
  const small = dashboardLines(60, 20, footer, (row) => `  office running ${row}`);
  await drawsAs(t, screen, writer, fullFrame(small), small);
});

/** An 80x24 emulator with the app's stdout and stderr both writing to it, as on a terminal, stdout through a screen writer. */
function onTerminal(t: ExecutionContext) {
  const screen = new XtermScreen(80, 24);
  t.teardown(() => screen.dispose());
  const stdout = new XtermStream(screen) as unknown as NodeJS.WriteStream;
  const stderr = new XtermStream(screen) as unknown as NodeJS.WriteStream;
  return { screen, stderr, output: screenOutput(stdout, stderr) };
}

test('a warning Ink writes on stderr between erasing its frame and drawing it again leaves nothing behind: the frame is drawn whole over it', async (t) => {
  const { screen, stderr, output } = onTerminal(t);
  t.teardown(() => output.dispose());
  const lines = dashboardLines(80, 24, '? help q quit', (row) => (row < 4 ? `  row ${row}` : ''));
  output.stream.write(fullFrame(lines));
  // Ink's writeToStderr: erase the frame, write the text (on a terminal in raw mode, a bare line
  // feed), draw the frame again.
  output.stream.write(eraseLines(24));
  stderr.write('(node:4242) MaxListenersExceededWarning: Possible EventTarget memory leak detected. 11 abort listeners added\n(Use `node --trace-warnings ...` to show where the warning was created)\n');
  output.stream.write(lines.join('\n'));
  await tick();
  await screen.settled();
  t.is(screensDiffer(framed(lines, 80, 24), screen.lines()), undefined);
});

test('a line written straight to stderr while the screen shows, from the bottom row where the cursor was left, scrolls it: the frame is drawn again over it on the next turn', async (t) => {
  const { screen, stderr, output } = onTerminal(t);
  const lines = dashboardLines(80, 24, '? help q quit / filter s start', (row) => `  row ${row} ${'-'.repeat(row * 3)}`);
  output.stream.write(fullFrame(lines));
  // The footer changes last: the cursor stays on the bottom row.
  output.stream.write(fullFrame([...lines.slice(0, 23), '? help q quit']));
  stderr.write('twinbox: the workspace registry /home/u/.local/share/twinbox/registry.json was empty; rebuilt it from the workspace folders: office\n');
  await screen.settled();
  t.not(screen.lines()[0], 'twinbox dashboard · 2 workspaces', 'the line feed scrolled the screen');
  await tick();
  await screen.settled();
  t.is(screensDiffer(framed([...lines.slice(0, 23), '? help q quit'], 80, 24), screen.lines()), undefined);
  // Once the app is gone nothing is drawn again: the terminal shows what it showed before.
  output.dispose();
  stderr.write('after\n');
  await screen.settled();
  const left = screen.lines();
  await tick();
  await screen.settled();
  t.deepEqual(screen.lines(), left);
});

const WORDS = ['Text Editor', 'running', 'stopped', 'not-created', 'office', 'lab', 'ok 3ms', 'fake (simulated)', 'Debug Console', 'Hello', '▲ warn', '✓ ok'];

/** A dashboard-like frame of `columns` x `rows`: rows that come and go, rules and lines to the edge, a footer that may fill the bottom row. */
function randomFrame(next: () => number, columns: number, rows: number, round: number): string[] {
  const word = () => WORDS[Math.floor(next() * WORDS.length)]!;
  const body = (): string => {
    const roll = next();
    if (roll < 0.2) return '';
    if (roll < 0.3) return `─ office ${'─'.repeat(columns - 9)}`;
    if (roll < 0.4) return `${word()} `.repeat(20).slice(0, columns);
    if (roll < 0.45) return `\u001B[33m│ ${word()} ${word()}\u001B[39m │`;
    return `  ${word()}   ${word()}  ${round}`;
  };
  const footer = '? help q quit / filter s start S stop F force stop p suspend/resume r restart R reset n snapshot u setup';
  return [
    `\u001B[1m\u001B[36mtwinbox dashboard · 2 workspaces${round % 3 ? ' · filter: off' : ''}\u001B[39m\u001B[22m`,
    ...Array.from({ length: rows - 4 }, body),
    `${`lab 1.0.0: not-created (not set up yet) ${round} `.padEnd(columns - 1, '.')}…`,
    next() < 0.5 ? '' : `office stopped ${round}`,
    `\u001B[1m?\u001B[22m${footer.slice(1, columns - (next() < 0.4 ? 0 : 1))}`,
  ];
}

test('whatever Ink draws, resized or not, the terminal shows the frame once the writer knows the size (40 runs of 150 frames)', async (t) => {
  const sizes = [
    { columns: 80, rows: 24 },
    { columns: 110, rows: 30 },
    { columns: 60, rows: 20 },
    { columns: 80, rows: 30 },
  ];
  for (let seed = 1; seed <= 40; seed++) {
    const next = random(seed);
    const screen = new XtermScreen(80, 24);
    let size = { columns: 80, rows: 24 };
    let layout = size;
    let pending: typeof size | undefined;
    const writer = new ScreenWriter(() => size);
    // Ink's standard renderer: a frame as tall as the terminal is written after a clear once
    // the last one filled it, else after erasing the last one's lines.
    let lastLines = 0;
    let lastHeight = 0;
    let last: string[] = [];
    const draw = (round: number) => {
      last = randomFrame(next, layout.columns, layout.rows, round);
      const output = last.join('\n');
      const filled = last.length >= size.rows;
      screen.write(writer.translate(lastHeight >= size.rows ? fullFrame(last) : eraseLines(lastLines) + (filled ? output : `${output}\n`)));
      lastLines = filled ? last.length : last.length + 1;
      lastHeight = last.length;
    };
    for (let round = 0; round < 150; round++) {
      const roll = next();
      if (!pending && roll < 0.1) {
        const target = sizes[Math.floor(next() * sizes.length)]!;
        if (target.columns === size.columns && target.rows === size.rows) continue;
        // The window changes size; the program hears of it a few frames later.
        screen.resize(target.columns, target.rows);
        pending = target;
        continue;
      }
      if (pending && roll < 0.4) {
        const narrower = pending.columns < size.columns;
        size = pending;
        pending = undefined;
        writer.resized();
        if (narrower) {
          screen.write(writer.translate(eraseLines(lastLines)));
          lastLines = 0;
        }
        draw(round);
        layout = size;
      }
      draw(round);
      if (pending) continue;
      await screen.settled();
      const differ = screensDiffer(framed(last, size.columns, size.rows), screen.lines());
      if (differ) {
        screen.dispose();
        t.fail(`seed ${seed}, frame ${round} at ${size.columns}x${size.rows}:\n${differ}`);
        return;
      }
    }
    screen.dispose();
  }
  t.pass();
});
