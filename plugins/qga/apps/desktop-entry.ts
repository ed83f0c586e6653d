import type { GuestApp, GuestAppKind } from 'twinbox/plugin-api';
import { parseExecLine } from './exec-line.js';

const MAIN_GROUP = 'Desktop Entry';
const KINDS: readonly GuestAppKind[] = ['command', 'terminal', 'gui'];

/** Keys of the `[Desktop Entry]` group with string escapes (`\s \n \t \r \\`) resolved; undefined without that group. */
export function readDesktopEntry(text: string): Map<string, string> | undefined {
  let group: string | undefined;
  let found = false;
  const keys = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      group = line.slice(1, -1);
      if (group === MAIN_GROUP) found = true;
      continue;
    }
    if (group !== MAIN_GROUP) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const key = line.slice(0, equals).trim();
    // The first occurrence wins, as in GLib.
    if (!keys.has(key)) keys.set(key, unescapeString(line.slice(equals + 1).trim()));
  }
  return found ? keys : undefined;
}

function unescapeString(value: string): string {
  return value.replace(/\\(.)/g, (whole, char: string) => {
    switch (char) {
      case 's':
        return ' ';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '\\':
        return '\\';
      default:
        // Left for the Exec quoting rules (`\"`, `\$`…), which apply after this step.
        return whole;
    }
  });
}

function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

function kindOf(keys: Map<string, string>): GuestAppKind {
  const declared = keys.get('X-Twinbox-Kind');
  const kind = KINDS.find((candidate) => candidate === declared);
  if (kind) return kind;
  return isTrue(keys.get('Terminal')) ? 'terminal' : 'gui';
}

/**
 * The app a desktop entry describes, or undefined when a menu would not show it (hidden,
 * NoDisplay, not an Application, nothing to run).
 */
export function desktopEntryApp(text: string, where: { id: string; source: string }): GuestApp | undefined {
  const keys = readDesktopEntry(text);
  if (!keys) return undefined;
  if (keys.get('Type') !== 'Application') return undefined;
  if (isTrue(keys.get('Hidden')) || isTrue(keys.get('NoDisplay'))) return undefined;
  const exec = keys.get('Exec');
  const command = exec === undefined ? [] : parseExecLine(exec);
  if (command.length === 0) return undefined;
  const app: GuestApp = {
    id: where.id,
    name: keys.get('Name') || where.id,
    kind: kindOf(keys),
    command,
    source: where.source,
  };
  const categories = (keys.get('Categories') ?? '').split(';').map((category) => category.trim()).filter((category) => category !== '');
  if (categories.length > 0) app.categories = categories;
  return app;
}
