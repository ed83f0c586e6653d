import type { Key } from 'ink';

/** What a key press asks of the list. The menu has no other actions: nothing reaches a shell. */
export type MenuAction =
  | { type: 'quit' }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'clear' }
  | { type: 'move'; by: number }
  | { type: 'page'; by: 1 | -1 }
  | { type: 'first' }
  | { type: 'last' }
  | { type: 'launch' }
  | { type: 'none' };

/** Characters a filter may hold: printable, no control bytes (a paste of escape codes stays out). */
function printable(input: string): string {
  return [...input].filter((char) => char >= ' ' && char !== '\u007f').join('');
}

/** Typing filters at once; `q` quits only while the filter is empty (then it cannot start a filter). */
export function menuAction(input: string, key: Key, filterEmpty: boolean): MenuAction {
  if (key.ctrl && (input === 'c' || input === 'd')) return { type: 'quit' };
  if (key.escape) return { type: 'quit' };
  if (key.ctrl && input === 'u') return { type: 'clear' };
  if (key.return) return { type: 'launch' };
  if (key.backspace || key.delete) return { type: 'erase' };
  if (key.upArrow) return { type: 'move', by: -1 };
  if (key.downArrow) return { type: 'move', by: 1 };
  if (key.pageUp) return { type: 'page', by: -1 };
  if (key.pageDown) return { type: 'page', by: 1 };
  if (key.home) return { type: 'first' };
  if (key.end) return { type: 'last' };
  if (key.ctrl || key.meta || key.tab) return { type: 'none' };
  const text = printable(input);
  if (text.length === 0) return { type: 'none' };
  if (filterEmpty && text === 'q') return { type: 'quit' };
  return { type: 'type', text };
}
