/** What the user's terminal can show: decided once from the environment, before Ink loads. */
export interface TerminalCapabilities {
  /** Box drawing and symbols beyond ASCII (a UTF-8 locale, and not the Linux console). */
  unicode: boolean;
  /** Colours (NO_COLOR unset, a terminal that is not `dumb`). Bold and inverse stay either way. */
  color: boolean;
  /** Any styling at all: a `dumb` terminal gets plain characters only. */
  styles: boolean;
}

function localeOf(env: NodeJS.ProcessEnv): string {
  return env.LC_ALL || env.LC_CTYPE || env.LANG || '';
}

export function detectCapabilities(env: NodeJS.ProcessEnv = process.env): TerminalCapabilities {
  const term = env.TERM ?? '';
  const dumb = term === 'dumb';
  // The Linux virtual console's fonts lack most box-drawing and symbol glyphs whatever the locale.
  const unicode = term !== 'linux' && !dumb && /utf-?8/i.test(localeOf(env));
  // https://no-color.org: present and not empty disables colour.
  const color = !dumb && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  return { unicode, color, styles: !dumb };
}
