import { open } from 'node:fs/promises';

/** How much of a console log `readConsoleTail` reads by default: the end of a boot, not all of it. */
export const CONSOLE_TAIL_BYTES = 4096;

// Terminal escape sequences and other control characters (tab and newline stay): a guest's
// console draws with them, and they would garble a log line.
const CONTROL = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-_]|[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * The last lines of a console log file as readable text, at most `maxLines` of them from its
 * last `maxBytes` bytes; undefined when there is no such file or nothing printable in it.
 */
export async function readConsoleTail(path: string, maxLines = 20, maxBytes = CONSOLE_TAIL_BYTES): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer
      .toString('utf8')
      .replace(/\r\n?/g, '\n')
      .replace(CONTROL, '')
      .split('\n')
      .map((line) => line.trimEnd());
    // The first line may be cut in the middle by the byte limit.
    if (length < size) lines.shift();
    const printed = lines.filter((line) => line.trim() !== '');
    return printed.length > 0 ? printed.slice(-maxLines).join('\n') : undefined;
  } finally {
    await handle.close();
  }
}
