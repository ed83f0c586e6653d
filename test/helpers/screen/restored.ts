import type { ExecutionContext } from 'ava';
import type { PtyScreen } from './pty-screen.js';

/**
 * After a full-screen program ended: the terminal is as it was before it — the normal screen
 * (alternate screen left), the cursor shown, and no mode the program turned on left on.
 */
export function terminalRestored(t: ExecutionContext, ui: PtyScreen): void {
  const grid = ui.grid();
  t.is(grid.buffer, 'normal', 'the alternate screen was left');
  t.true(grid.cursorShown, 'the cursor is shown');
  const modes = ui.terminal.modes;
  t.false(modes.bracketedPasteMode, 'bracketed paste is off');
  t.false(modes.applicationCursorKeysMode, 'cursor keys are back in normal mode');
  t.is(modes.mouseTrackingMode, 'none', 'mouse tracking is off');
  t.false(modes.sendFocusMode, 'focus reports are off');
  t.false(modes.insertMode, 'insert mode is off');
  t.true(modes.wraparoundMode, 'lines wrap again');
}
