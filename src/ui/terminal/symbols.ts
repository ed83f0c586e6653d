/** Every glyph the UI draws, with an ASCII twin for terminals without a UTF-8 locale. */
export interface Symbols {
  /** Only 7-bit ASCII may be written: text from elsewhere (core messages) is transliterated too. */
  ascii: boolean;
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
  /** Eight levels of a sparkline, lowest first. */
  levels: readonly string[];
}

const unicodeSymbols: Symbols = {
  ascii: false,
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
  levels: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
};

const asciiSymbols: Symbols = {
  ascii: true,
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
  levels: ['_', '.', ',', '-', '~', '=', '*', '#'],
};

export function symbolsFor(unicode: boolean): Symbols {
  return unicode ? unicodeSymbols : asciiSymbols;
}
