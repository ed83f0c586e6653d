import type { JsonObject } from './json.js';

/** Arguments that carry secrets: never written to a log, whatever the log level. */
const SECRET_ARGUMENTS = new Set(['password']);
export const REDACTED = '[redacted]';
/** File chunks and program input are long base64 strings that tell a reader nothing. */
const MAX_TRACED_STRING = 120;

/** A request's arguments as a debug log may show them: secrets replaced, long strings cut. */
export function traceArguments(args: JsonObject | undefined): JsonObject | undefined {
  if (args === undefined) return undefined;
  const traced: JsonObject = {};
  for (const [key, value] of Object.entries(args)) {
    if (SECRET_ARGUMENTS.has(key)) traced[key] = REDACTED;
    else if (typeof value === 'string' && value.length > MAX_TRACED_STRING) traced[key] = `${value.slice(0, MAX_TRACED_STRING)}… (${value.length} characters)`;
    else traced[key] = value;
  }
  return traced;
}
