/**
 * A strict reader of the Prometheus text exposition format 0.0.4 (what node_exporter's textfile
 * collector parses): throws on anything the format does not allow, so a test that reads a
 * metrics file through it also proves the file valid.
 */
export interface ParsedSample {
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  help?: string;
  type?: string;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Inf|NaN)$/;

function parseValue(text: string, line: string): number {
  if (!FLOAT.test(text)) throw new Error(`not a float: ${JSON.stringify(text)} in ${JSON.stringify(line)}`);
  if (text.endsWith('Inf')) return text.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

function parseLabels(text: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let index = 1;
  for (;;) {
    if (text[index] === '}') return { labels, rest: text.slice(index + 1) };
    const equals = text.indexOf('=', index);
    if (equals < 0) throw new Error(`bad labels in ${JSON.stringify(line)}`);
    const name = text.slice(index, equals);
    if (!LABEL.test(name) || Object.hasOwn(labels, name)) throw new Error(`bad or repeated label name ${JSON.stringify(name)} in ${JSON.stringify(line)}`);
    if (text[equals + 1] !== '"') throw new Error(`label value not quoted in ${JSON.stringify(line)}`);
    let value = '';
    let at = equals + 2;
    for (;;) {
      const char = text[at];
      if (char === undefined) throw new Error(`unterminated label value in ${JSON.stringify(line)}`);
      if (char === '"') break;
      if (char === '\\') {
        const next = text[at + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new Error(`bad escape in ${JSON.stringify(line)}`);
        at += 2;
        continue;
      }
      value += char;
      at++;
    }
    labels[name] = value;
    index = at + 1;
    if (text[index] === ',') index++;
    else if (text[index] !== '}') throw new Error(`expected , or } in ${JSON.stringify(line)}`);
  }
}

export function parseExposition(text: string): Map<string, ParsedFamily> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the text must end with a line feed');
  const families = new Map<string, ParsedFamily>();
  const seenSeries = new Set<string>();
  const finished = new Set<string>();
  let current: string | undefined;
  const familyOf = (name: string): ParsedFamily => {
    let family = families.get(name);
    if (!family) families.set(name, (family = { samples: [] }));
    return family;
  };
  for (const line of text.split('\n').slice(0, -1)) {
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!match) continue;
      const [, keyword, name, rest] = match as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new Error(`bad metric name in ${JSON.stringify(line)}`);
      const family = familyOf(name);
      if (keyword === 'HELP') {
        if (family.help !== undefined) throw new Error(`second HELP for ${name}`);
        family.help = rest.replace(/\\(\\|n)/g, (_, char: string) => (char === 'n' ? '\n' : '\\'));
      } else {
        if (family.type !== undefined) throw new Error(`second TYPE for ${name}`);
        if (family.samples.length > 0) throw new Error(`TYPE for ${name} after its samples`);
        if (!TYPES.has(rest)) throw new Error(`bad type ${JSON.stringify(rest)} for ${name}`);
        family.type = rest;
      }
      continue;
    }
    if (line.trim() === '') continue;
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nameMatch) throw new Error(`bad sample line ${JSON.stringify(line)}`);
    const name = nameMatch[0];
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
    const fields = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || fields.length < 1 || fields.length > 2) throw new Error(`bad sample line ${JSON.stringify(line)}`);
    if (fields[1] !== undefined && !/^-?\d+$/.test(fields[1])) throw new Error(`bad timestamp in ${JSON.stringify(line)}`);
    if (current !== name) {
      if (finished.has(name)) throw new Error(`samples of ${name} are not together`);
      if (current) finished.add(current);
      current = name;
    }
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seenSeries.has(series)) throw new Error(`duplicate series ${series}`);
    seenSeries.add(series);
    familyOf(name).samples.push({ labels, value: parseValue(fields[0]!, line) });
  }
  return families;
}

/** The value of the one sample of `family` whose labels include `labels`. */
export function sampleValue(families: Map<string, ParsedFamily>, family: string, labels: Record<string, string>): number | undefined {
  const matches = (families.get(family)?.samples ?? []).filter((sample) => Object.entries(labels).every(([name, value]) => sample.labels[name] === value));
  if (matches.length > 1) throw new Error(`${matches.length} samples of ${family} match ${JSON.stringify(labels)}`);
  return matches[0]?.value;
}
