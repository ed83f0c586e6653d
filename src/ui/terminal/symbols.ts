/** Every glyph the UI draws, with an ASCII twin for terminals without a UTF-8 locale. */
export interface Symbols {
  /** Ink border style of boxes and dialogs. */
  border: 'round' | 'classic';
  pointer: string;
  bullet: string;
  running: string;
  stopped: string;
  warning: string;
  ok: string;
  fail: string;
  ellipsis: string;
  barFull: string;
  barEmpty: string;
  separator: string;
  spinner: readonly string[];
  arrowUp: string;
  arrowDown: string;
}

const unicodeSymbols: Symbols = {
  border: 'round',
  pointer: '›',
  bullet: '•',
  running: '●',
  stopped: '○',
  warning: '▲',
  ok: '✓',
  fail: '✗',
  ellipsis: '…',
  barFull: '█',
  barEmpty: '░',
  separator: '│',
  spinner: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'],
  arrowUp: '↑',
  arrowDown: '↓',
};

const asciiSymbols: Symbols = {
  border: 'classic',
  pointer: '>',
  bullet: '*',
  running: '*',
  stopped: 'o',
  warning: '!',
  ok: '+',
  fail: 'x',
  ellipsis: '...',
  barFull: '#',
  barEmpty: '-',
  separator: '|',
  spinner: ['|', '/', '-', '\\'],
  arrowUp: '^',
  arrowDown: 'v',
};

export function symbolsFor(unicode: boolean): Symbols {
  return unicode ? unicodeSymbols : asciiSymbols;
}
