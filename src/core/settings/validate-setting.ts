import { SETTING_KEYS, type SettingKey, type SettingValues } from './keys.js';

export type Checked<K extends SettingKey> = { ok: true; value: SettingValues[K] } | { ok: false; problem: string };

/** Checks a value against its key's type; the problem names what was expected. */
export function checkSetting<K extends SettingKey>(key: K, value: unknown): Checked<K> {
  const definition = SETTING_KEYS[key];
  const problem = definition.check(value);
  if (problem === undefined) return { ok: true, value: value as SettingValues[K] };
  return { ok: false, problem: `${key} expects ${definition.expected}, not ${show(value)}${problem ? ` (${problem})` : ''}` };
}

/** How much of a refused value a message shows. */
const SHOWN = 80;

/**
 * The value as JSON.stringify writes it, cut to 80 characters. Written only as far as it is
 * shown, so the recursion is at most 80 deep: a value nested thousands of arrays deep (which
 * JSON.parse reads, but JSON.stringify cannot write without exhausting the stack) is refused
 * with its first characters shown like any other.
 */
function show(value: unknown): string {
  let out = '';
  /** Appends `item` as JSON.stringify writes it; false when JSON has nothing for it (undefined, a function, a symbol). */
  const write = (item: unknown, key: string): boolean => {
    const json = toJson(item, key);
    if (typeof json !== 'object' || json === null) {
      const text = typeof json === 'bigint' ? String(json) : (JSON.stringify(json) as string | undefined);
      if (text !== undefined) out += text;
      return text !== undefined;
    }
    if (Array.isArray(json)) {
      out += '[';
      for (let index = 0; index < json.length && out.length <= SHOWN; index++) {
        if (index > 0) out += ',';
        if (!write(json[index], String(index))) out += 'null';
      }
      out += ']';
      return true;
    }
    out += '{';
    let first = true;
    for (const [name, member] of Object.entries(json)) {
      if (out.length > SHOWN) break;
      const before = out.length;
      out += `${first ? '' : ','}${JSON.stringify(name)}:`;
      if (write(member, name)) first = false;
      else out = out.slice(0, before);
    }
    out += '}';
    return true;
  };
  const shown = write(value, '') ? out : String(value);
  return shown.length > SHOWN ? `${shown.slice(0, SHOWN - 3)}...` : shown;
}

/** What JSON.stringify writes in place of a value with a toJSON method (a Date). */
function toJson(value: unknown, key: string): unknown {
  const withToJson = value as { toJSON?: (key: string) => unknown } | null | undefined;
  return typeof withToJson?.toJSON === 'function' ? withToJson.toJSON(key) : value;
}
