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
 * The locales a user's environment asks messages in, best first, as the Desktop Entry spec
 * matches localized keys ("Localized values for keys"): for each of LANGUAGE's entries
 * (gettext's list, honoured unless the locale is C or POSIX) and then LC_ALL, LC_MESSAGES or
 * LANG (the first set), `lang_COUNTRY@MODIFIER`, `lang_COUNTRY`, `lang@MODIFIER`, `lang`, the
 * encoding dropped.
 */
export function localeCandidates(env: Readonly<Record<string, string | undefined>>): string[] {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const plain = locale === '' || locale === 'C' || locale === 'POSIX' || locale.startsWith('C.');
  const wanted = [...(plain ? [] : (env.LANGUAGE ?? '').split(':')), plain ? '' : locale].filter((entry) => entry !== '');
  const candidates: string[] = [];
  for (const entry of wanted) {
    const match = /^([a-zA-Z]{2,3})(?:_([A-Za-z0-9]+))?(?:\.[^@]*)?(?:@(.+))?$/.exec(entry);
    if (!match) continue;
    const [, lang, country, modifier] = match;
    const forms = [country && modifier ? `${lang}_${country}@${modifier}` : '', country ? `${lang}_${country}` : '', modifier ? `${lang}@${modifier}` : '', lang!];
    for (const form of forms) if (form && !candidates.includes(form)) candidates.push(form);
  }
  return candidates;
}

/** `key[locale]` for the first locale that has one, else `key`. */
function localized(keys: Map<string, string>, key: string, locales: readonly string[]): string | undefined {
  for (const locale of locales) {
    const value = keys.get(`${key}[${locale}]`);
    if (value) return value;
  }
  return keys.get(key);
}

/**
 * The app a desktop entry describes, or undefined when a menu would not show it (hidden,
 * NoDisplay, not an Application, nothing to run). Its name is `Name[<locale>]` for the first
 * of `locales` the entry translates, else `Name`.
 */
export function desktopEntryApp(text: string, where: { id: string; source: string }, locales: readonly string[] = []): GuestApp | undefined {
  const keys = readDesktopEntry(text);
  if (!keys) return undefined;
  if (keys.get('Type') !== 'Application') return undefined;
  if (isTrue(keys.get('Hidden')) || isTrue(keys.get('NoDisplay'))) return undefined;
  const exec = keys.get('Exec');
  const command = exec === undefined ? [] : parseExecLine(exec);
  if (command.length === 0) return undefined;
  const app: GuestApp = {
    id: where.id,
    name: localized(keys, 'Name', locales) || where.id,
    kind: kindOf(keys),
    command,
    source: where.source,
  };
  const plain = keys.get('Name');
  if (plain && plain !== app.name) app.untranslatedName = plain;
  const categories = (keys.get('Categories') ?? '').split(';').map((category) => category.trim()).filter((category) => category !== '');
  if (categories.length > 0) app.categories = categories;
  return app;
}
