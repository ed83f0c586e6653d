import type { Key } from 'ink';

/**
 * One name per key press, as key tables spell them: the character typed, or up, down, pageup,
 * pagedown, return, escape, backspace, tab, ctrl-<letter>. Terminals send DEL (0x7f) for the
 * Backspace key, which Ink reports as `delete`: both are `backspace` here.
 */
export function keyName(input: string, key: Key): string | undefined {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.backspace || key.delete) return 'backspace';
  if (key.tab) return 'tab';
  if (key.ctrl && input.length === 1) return `ctrl-${input.toLowerCase()}`;
  return input.length === 1 ? input : undefined;
}

const CONTROL_NAMES: Record<string, string> = { '\r': 'return', '\n': 'return', '\t': 'tab', '\b': 'backspace', '\x7f': 'backspace' };

/**
 * The key presses in a read that holds several (fast typing, a paste, tmux send-keys): runs of
 * printable text, and control characters by name. Escape sequences arrive split already.
 */
export function splitTyped(input: string): Array<{ name?: string; text: string }> {
  const pieces: Array<{ name?: string; text: string }> = [];
  for (const character of input) {
    const code = character.codePointAt(0)!;
    if (code >= 0x20 && code !== 0x7f) {
      const last = pieces.at(-1);
      if (last && last.name === undefined) last.text += character;
      else pieces.push({ text: character });
    } else {
      const name = CONTROL_NAMES[character] ?? (code >= 1 && code <= 26 ? `ctrl-${String.fromCharCode(code + 96)}` : undefined);
      if (name) pieces.push({ name, text: '' });
    }
  }
  return pieces;
}
