import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic, writeFileAtomicSync } from '../../plugin-api/index.js';

/** JSON as twinbox writes its records: two-space indents, a final newline. */
function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes a private (0600) JSON record atomically (`writeFileAtomic`), creating its folder (0700). */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, jsonText(value), { dirMode: 0o700 });
}

/** `writeJsonAtomic` for synchronous code: the policy is read while the composition root is built, which is synchronous. */
export function writeJsonSync(path: string, value: unknown): void {
  writeFileAtomicSync(path, jsonText(value), { dirMode: 0o700 });
}

/** The parsed file, or undefined when it is missing or unreadable (callers treat both as "nothing recorded"). */
export async function readJson<T>(path: string): Promise<T | undefined> {
  // A missing file is the common case for pollers (no setup record yet, no catalogue): a stat
  // that returns nothing is far cheaper than a failed open, which builds an error and its stack.
  if (!statSync(path, { throwIfNoEntry: false })) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
