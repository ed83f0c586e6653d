import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { processAlive } from 'twinbox/plugin-api';

async function readProc(pid: number, file: string): Promise<string | undefined> {
  try {
    return await readFile(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether a process exists and is not a zombie (a zombie has exited; only its parent has not noticed). */
export async function isProcessAlive(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (!processAlive(pid)) return false;
  const stat = await readProc(pid, 'stat');
  if (stat === undefined) return process.platform !== 'linux' || processAlive(pid);
  // The state letter follows the command name, which is in parentheses and may contain spaces.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/**
 * Whether `pid` is the guest process of the VM in `vmDir`. A pid in a state file can outlive
 * its process and be reused by an unrelated program, which must not be taken for the VM (nor
 * be signalled by us); the command line tells them apart where /proc exists.
 */
export async function isGuestProcess(pid: number | undefined, vmDir: string): Promise<boolean> {
  if (pid === undefined || !(await isProcessAlive(pid))) return false;
  const cmdline = await readProc(pid, 'cmdline');
  if (cmdline === undefined) return process.platform !== 'linux';
  const argv = cmdline.split('\0');
  const script = argv[1] ?? '';
  return script.endsWith(`${sep}guest${sep}main.js`) && argv[2] !== undefined && resolve(argv[2]) === resolve(vmDir);
}

/**
 * Signals the guest and every program it runs: the guest process leads its own process group
 * (it is spawned detached), and the programs started through guest-exec belong to the VM.
 */
export function signalGuest(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
    return;
  } catch {
    // Not a group leader (or already gone): fall back to the process alone.
  }
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
