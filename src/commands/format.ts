/** Plain-text tables for terminals and pipes: fixed columns, no colour codes. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

const NAMED_CONTROLS: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Control characters (C0, DEL, C1) shown as escapes: `\x1b`, `\x07`, `\n`. Text a user typed
 * (a workspace name, an app, a command) echoed in a message can then never move the cursor,
 * ring the bell, change the title or forge a second line.
 */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => NAMED_CONTROLS[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** JSON with DEL and the C1 controls written as \u escapes too (JSON.stringify leaves them raw). */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(/[\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
