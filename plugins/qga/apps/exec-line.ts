/** Field codes the launcher would expand with files, URLs, icon, name or location; twinbox passes none. */
const FIELD_CODES = new Set(['f', 'F', 'u', 'U', 'i', 'c', 'k', 'd', 'D', 'n', 'N', 'v', 'm']);
/** Inside double quotes a backslash escapes only these (freedesktop Exec key rules). */
const QUOTED_ESCAPES = new Set(['"', '`', '$', '\\']);

interface Token {
  text: string;
  hadFieldCode: boolean;
}

/**
 * Splits an `Exec` value (already unescaped as a desktop-entry string) into program and
 * arguments, removing field codes. An argument made only of field codes disappears.
 */
export function parseExecLine(value: string): string[] {
  const tokens: Token[] = [];
  let current: Token | undefined;
  let quoted = false;
  const add = (text: string): void => {
    current ??= { text: '', hadFieldCode: false };
    current.text += text;
  };
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    const next = value[index + 1];
    // Launchers expand codes before splitting, so codes count inside quotes too.
    if (char === '%' && next !== undefined) {
      index++;
      if (next === '%') add('%');
      else if (FIELD_CODES.has(next)) {
        add('');
        if (current) current.hadFieldCode = true;
      } else add(`%${next}`);
    } else if (quoted) {
      if (char === '"') quoted = false;
      else if (char === '\\' && next !== undefined && QUOTED_ESCAPES.has(next)) {
        add(next);
        index++;
      } else add(char);
    } else if (char === '"') {
      quoted = true;
      add('');
    } else if (char === ' ' || char === '\t' || char === '\n') {
      if (current) tokens.push(current);
      current = undefined;
    } else if (char === '\\' && next !== undefined) {
      // Unquoted backslashes are not in the spec; launchers treat them as shell escapes.
      add(next);
      index++;
    } else add(char);
  }
  if (current) tokens.push(current);
  return tokens.filter((token) => !(token.hadFieldCode && token.text === '')).map((token) => token.text);
}
