import test from 'ava';
import { mergeSgr } from '../../../src/ui/terminal/screen-update.js';
import { XtermScreen } from './helpers/xterm-screen.js';
import { random } from './helpers/random.js';

// The screen writer writes adjacent SGR sequences as one: a real terminal emulator must show
// the same cells, with the same attributes, either way.

/** Every cell of the screen: its character and every attribute xterm keeps for it. */
function cells(screen: XtermScreen): string[] {
  const buffer = screen.terminal.buffer.active;
  const out: string[] = [];
  const cell = buffer.getNullCell();
  for (let row = 0; row < screen.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row)!;
    for (let column = 0; column < screen.columns; column++) {
      line.getCell(column, cell);
      out.push(
        [cell.getChars(), cell.getFgColorMode(), cell.getFgColor(), cell.getBgColorMode(), cell.getBgColor(), cell.isBold(), cell.isDim(), cell.isItalic(), cell.isUnderline(), cell.isInverse(), cell.isStrikethrough()].join(','),
      );
    }
  }
  return out;
}

// What Ink's colour library writes: one sequence per style, opened and closed around text.
const STYLES = ['1', '2', '3', '4', '7', '9', '22', '23', '24', '27', '29', '31', '36', '39', '90', '42', '49', '0', '', '38;5;208', '48;5;17', '38;2;10;20;30'];

test('adjacent SGR sequences merged show every cell as written apart, in a real terminal emulator', async (t) => {
  const next = random(20261207);
  let merged = 0;
  for (let round = 0; round < 60; round++) {
    let text = '';
    for (let piece = 0; piece < 40; piece++) {
      const styles = Math.floor(next() * 4);
      for (let s = 0; s < styles; s++) text += `\u001B[${STYLES[Math.floor(next() * STYLES.length)]}m`;
      text += 'word '.slice(0, 1 + Math.floor(next() * 5));
      if (next() < 0.1) text += '\r\n';
    }
    const shorter = mergeSgr(text);
    if (shorter.length < text.length) merged += 1;
    const apart = new XtermScreen(40, 10);
    const together = new XtermScreen(40, 10);
    apart.write(text);
    together.write(shorter);
    await Promise.all([apart.settled(), together.settled()]);
    t.deepEqual(cells(together), cells(apart), `round ${round}`);
    apart.dispose();
    together.dispose();
  }
  t.true(merged > 50, `${merged} of 60 rounds had sequences to merge`);
});

test('what is merged and what is left alone', (t) => {
  t.is(mergeSgr('\u001B[4m\u001B[1mTe\u001B[24mrm\u001B[22m'), '\u001B[4;1mTe\u001B[24mrm\u001B[22m');
  t.is(mergeSgr('\u001B[39m\u001B[22m\u001B[K'), '\u001B[39;22m\u001B[K');
  t.is(mergeSgr('\u001B[m\u001B[1mx'), '\u001B[;1mx');
  // A sequence with sub-parameters, and a cursor move between two, stay as they are.
  t.is(mergeSgr('\u001B[4:3m\u001B[1mx'), '\u001B[4:3m\u001B[1mx');
  t.is(mergeSgr('\u001B[1m\u001B[2;4H\u001B[36mx'), '\u001B[1m\u001B[2;4H\u001B[36mx');
});
