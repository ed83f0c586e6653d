import { appendFile, readFile } from 'node:fs/promises';
import { readConsoleTail } from 'twinbox/plugin-api';
import { vmFile } from './vm-record.js';

const START_MARKER = '=== start ';

/** Written before each launch, so that what a boot printed can be told from earlier boots. */
export async function markConsoleStart(vmDir: string, now: number): Promise<void> {
  await appendFile(vmFile(vmDir, 'console'), `${START_MARKER}${new Date(now).toISOString()} ===\n`, { mode: 0o600 });
}

/** The last thing the guest printed during its latest boot: the best words for why it failed. */
export async function lastConsoleLine(vmDir: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(vmFile(vmDir, 'console'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n').map((line) => line.trim());
  let bootLine = lines.length - 1;
  while (bootLine >= 0 && !(lines[bootLine] as string).startsWith(START_MARKER)) bootLine -= 1;
  // Node ends an uncaught error with its version; the error line itself says more.
  const latest = lines.slice(bootLine + 1).filter((line) => line !== '' && !/^Node\.js v\d/.test(line));
  const errorLine = [...latest].reverse().find((line) => /^(start failed: |guest failed: |\w*Error\b)/.test(line));
  return (errorLine ?? latest.at(-1))?.replace(/^(start failed|guest failed): /, '');
}

/** What the guest printed during its latest boot, its last lines at most. */
export async function latestBootConsole(vmDir: string, maxLines = 20): Promise<string | undefined> {
  const tail = await readConsoleTail(vmFile(vmDir, 'console'), 1_000);
  if (!tail) return undefined;
  const lines = tail.split('\n');
  let bootLine = lines.length - 1;
  while (bootLine >= 0 && !(lines[bootLine] as string).startsWith(START_MARKER)) bootLine -= 1;
  const latest = lines.slice(bootLine + 1);
  return latest.length > 0 ? latest.slice(-maxLines).join('\n') : undefined;
}
