import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

const HEADER_BYTES = 16 * 1024;

/**
 * The VM process's id, from the header of the running VM's VBox.log ("Process ID: 48213"):
 * showvminfo does not print it. Undefined when the log cannot be read (a Windows path seen
 * from WSL, a log folder elsewhere).
 */
export function vmProcessId(logFolder: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(join(logFolder, 'VBox.log'), 'r');
    const buffer = Buffer.alloc(HEADER_BYTES);
    const read = readSync(fd, buffer, 0, HEADER_BYTES, 0);
    const match = /Process ID: (\d+)/.exec(buffer.toString('utf8', 0, read));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
