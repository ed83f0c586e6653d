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

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** One control character as the key a terminal sends it for. */
function controlKey(char: string): [string, Key] {
  const code = char.charCodeAt(0);
  if (char === '\r' || char === '\n') return ['', { ...NO_KEY, return: true }];
  if (char === '\t') return ['', { ...NO_KEY, tab: true }];
  if (char === '\b') return ['', { ...NO_KEY, backspace: true }];
  if (char === '\u007f') return ['', { ...NO_KEY, delete: true }];
  if (code < 0x20) return [String.fromCharCode(code + 0x60), { ...NO_KEY, ctrl: true }];
  return [char, NO_KEY];
}

/**
 * Ink splits its input at escape sequences only: text typed fast or over a slow link arrives
 * as one chunk ("sh\r": a filter, then Enter) and must be taken apart into its keys.
 */
export function keyPresses(input: string, key: Key): Array<[string, Key]> {
  if (input.length <= 1 || input.startsWith('\u001B') || !/[\u0000-\u001F\u007F]/.test(input)) return [[input, key]];
  const presses: Array<[string, Key]> = [];
  let text = '';
  for (const char of input) {
    if (char >= ' ' && char !== '\u007f') {
      text += char;
      continue;
    }
    if (text) presses.push([text, NO_KEY]);
    text = '';
    presses.push(controlKey(char));
  }
  if (text) presses.push([text, NO_KEY]);
  return presses;
}

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
