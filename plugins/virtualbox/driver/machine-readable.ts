/**
 * Parses VBoxManage's `--machinereadable` output: `key="value"` or `key=number` lines, with
 * some keys quoted too (`"SATA-0-0"="/path"`). Values escape `"`, `\` and newlines.
 */
export function parseMachineReadable(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    const match = /^("(?:[^"\\]|\\.)*"|[^=\s]+)=(.*)$/.exec(line);
    if (!match) continue;
    values.set(unquote(match[1]!), unquote(match[2]!));
  }
  return values;
}

function unquote(text: string): string {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text;
  return text.slice(1, -1).replace(/\\(.)/g, (_all, char: string) => (char === 'n' ? '\n' : char));
}
