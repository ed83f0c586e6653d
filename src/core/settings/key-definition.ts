/**
 * Checks a value: undefined when it is valid, otherwise what is wrong ('' when the expected type
 * says it all). Hand-written rather than zod: every command reads settings at start-up, and
 * loading zod there would cost more than the rest of a plain command.
 */
export type Check = (value: unknown) => string | undefined;

/**
 * A JSON Schema (draft 2020-12, as conf's ajv reads it) of one key's values, built by the same
 * helper as its check so the two cannot drift apart (test/core/settings/settings-schema.test.ts
 * holds them to agreeing). conf gets them all as settings.json's schema (settings-schema.ts).
 */
export type ValueSchema = Readonly<Record<string, unknown>>;

/** One row of the settings key registry. */
export interface KeyDefinition<T> {
  check: Check;
  /** The same rule as `check`, for conf; it also carries the default and the description. */
  schema: ValueSchema;
  default: T;
  /** What a valid value looks like, for `twinbox config` and error messages. */
  expected: string;
  description: string;
  /**
   * How `twinbox config set` reads the value: strings are taken as typed (no quoting on the
   * command line), everything else as JSON.
   */
  input: 'text' | 'json';
  /** Where a package's workspace.json sets it; absent when packages may not set it. */
  packagePath?: readonly string[];
}

interface Common {
  description: string;
  packagePath?: readonly string[];
}

/** A string rule: a pattern, a length limit and what to say when it is broken. */
export interface TextRule {
  /** Without flags: the schema carries its source alone (JSON Schema patterns have none). */
  pattern: RegExp;
  maxLength: number;
  message: string;
}

/** A TextRule in JSON Schema. Its maxLength counts code points, not UTF-16 units: a little looser, never stricter. */
function stringRule(rule: TextRule): ValueSchema {
  if (rule.pattern.flags !== '') throw new Error(`a setting's pattern cannot have flags in JSON Schema: ${String(rule.pattern)}`);
  return { minLength: 1, maxLength: rule.maxLength, pattern: rule.pattern.source };
}

function textSchema(rule: TextRule): ValueSchema {
  return { type: 'string', ...stringRule(rule) };
}

function described<T>(schema: ValueSchema, fallback: T, common: Common): ValueSchema {
  return { ...schema, description: common.description, default: fallback };
}

export function textProblem(value: unknown, rule: TextRule): string | undefined {
  if (typeof value !== 'string') return 'not a string';
  if (value.length === 0 || value.length > rule.maxLength || !rule.pattern.test(value)) return rule.message;
  return undefined;
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number], common: Common): KeyDefinition<T[number]> {
  return {
    check: (value) => (typeof value === 'string' && values.includes(value) ? undefined : ''),
    schema: described({ enum: values }, fallback, common),
    default: fallback,
    expected: `one of ${values.join(', ')}`,
    input: 'text',
    ...common,
  };
}

export function wholeNumber(min: number, max: number, fallback: number, common: Common): KeyDefinition<number> {
  return {
    check: (value) => (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? undefined : ''),
    schema: described({ type: 'integer', minimum: min, maximum: max }, fallback, common),
    default: fallback,
    expected: `a whole number from ${min} to ${max}`,
    input: 'json',
    ...common,
  };
}

export function flag(fallback: boolean, common: Common): KeyDefinition<boolean> {
  return {
    check: (value) => (typeof value === 'boolean' ? undefined : ''),
    schema: described({ type: 'boolean' }, fallback, common),
    default: fallback,
    expected: 'true or false',
    input: 'json',
    ...common,
  };
}

export function text(rule: TextRule, fallback: string, expected: string, common: Common): KeyDefinition<string> {
  return {
    check: (value) => (textProblem(value, rule) === undefined ? undefined : ''),
    schema: described(textSchema(rule), fallback, common),
    default: fallback,
    expected,
    input: 'text',
    ...common,
  };
}

function listSchema(item: TextRule): ValueSchema {
  return { type: 'array', items: textSchema(item) };
}

function listProblem(value: unknown, item: TextRule): string | undefined {
  if (!Array.isArray(value)) return '';
  for (const [index, entry] of value.entries()) {
    const problem = textProblem(entry, item);
    if (problem !== undefined) return `item ${index}: ${problem}`;
  }
  return undefined;
}

export function listOf(item: TextRule, itemsAre: string, common: Common): KeyDefinition<string[]> {
  return {
    check: (value) => listProblem(value, item),
    schema: described(listSchema(item), [], common),
    default: [],
    expected: `a JSON array of ${itemsAre}`,
    input: 'json',
    ...common,
  };
}

export function mapOf(keys: TextRule, items: TextRule, expected: string, common: Common): KeyDefinition<Record<string, string[]>> {
  const check: Check = (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return '';
    for (const [key, entry] of Object.entries(value)) {
      const keyProblem = textProblem(key, keys);
      if (keyProblem !== undefined) return `${JSON.stringify(key)}: ${keyProblem}`;
      const problem = listProblem(entry, items);
      if (problem !== undefined) return `${JSON.stringify(key)}: ${problem || 'not an array'}`;
    }
    return undefined;
  };
  const schema = described({ type: 'object', propertyNames: stringRule(keys), additionalProperties: listSchema(items) }, {}, common);
  return { check, schema, default: {}, expected, input: 'json', ...common };
}

/**
 * A JSON object of names to one string each (the `hosts` setting). `valueProblem` words what is
 * wrong with a value that breaks `values` (a rule only the schema's pattern states otherwise).
 */
export function mapOfText(keys: TextRule, values: TextRule, expected: string, common: Common, valueProblem: (value: string) => string | undefined = () => values.message): KeyDefinition<Record<string, string>> {
  const check: Check = (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return '';
    for (const [key, entry] of Object.entries(value)) {
      const keyProblem = textProblem(key, keys);
      if (keyProblem !== undefined) return `${JSON.stringify(key)}: ${keyProblem}`;
      const problem = textProblem(entry, values);
      if (problem !== undefined) return `${JSON.stringify(key)}: ${typeof entry === 'string' ? (valueProblem(entry) ?? problem) : problem}`;
    }
    return undefined;
  };
  const schema = described({ type: 'object', propertyNames: stringRule(keys), additionalProperties: textSchema(values) }, {}, common);
  return { check, schema, default: {}, expected, input: 'json', ...common };
}
