import type { JsonObject } from './json.js';

/** Arguments that carry secrets: never written to a log, whatever the log level. */
const SECRET_ARGUMENTS = new Set(['password']);
/** Program input and file chunks: base64 payloads that may hold anything, so only their size is shown. */
const PAYLOAD_ARGUMENTS = new Set(['input-data', 'buf-b64']);
export const REDACTED = '[redacted]';

function decodedBytes(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((base64.length * 3) / 4) - padding);
}

/** A request's arguments as a debug log may show them: secrets replaced, payloads by their size. */
export function traceArguments(args: JsonObject): JsonObject {
  const traced: JsonObject = {};
  for (const [key, value] of Object.entries(args)) {
    if (SECRET_ARGUMENTS.has(key)) traced[key] = REDACTED;
    else if (PAYLOAD_ARGUMENTS.has(key) && typeof value === 'string') traced[key] = `[${decodedBytes(value)} bytes]`;
    else traced[key] = value;
  }
  return traced;
}
