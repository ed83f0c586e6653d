import { readFile, rm } from 'node:fs/promises';

/** What the host says about a pid. */
export interface ProcessFacts {
  alive: boolean;
  /** argv of the process, where readable. */
  cmdline?: string[];
}

/** Looks at a process: what the plugin is given to tell its VMs' QEMU processes (tests replace it). */
export type Probe = (pid: number) => Promise<ProcessFacts>;

export type PidVerdict =
  | { kind: 'ours'; pid: number }
  /** The pid file names a process that no longer exists (or is now another program). */
  | { kind: 'stale'; pid: number; reason: string }
  | { kind: 'absent' };

/**
 * Pids are reused: a pid file left by a killed QEMU may now name a shell or a browser. The
 * process counts as our VM only when it runs a qemu binary with this very pid file.
 */
export function isOurQemu(cmdline: readonly string[], pidFile: string): boolean {
  const program = cmdline[0]?.split('/').pop() ?? '';
  return program.includes('qemu') && cmdline.includes(pidFile);
}

export function judgePid(pid: number | undefined, facts: ProcessFacts | undefined, pidFile: string): PidVerdict {
  if (pid === undefined) return { kind: 'absent' };
  // An exiting process has an empty command line before it turns zombie: it is gone too.
  if (!facts || !facts.alive || facts.cmdline?.length === 0) return { kind: 'stale', pid, reason: `qemu process ${pid} is gone` };
  // Without a readable cmdline (other OSes) liveness is all we can go by.
  if (facts.cmdline && !isOurQemu(facts.cmdline, pidFile)) {
    return { kind: 'stale', pid, reason: `qemu process ${pid} is gone (the pid now belongs to ${facts.cmdline[0] ?? 'another program'})` };
  }
  return { kind: 'ours', pid };
}

export function parsePidFile(text: string): number | undefined {
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export async function readPidFile(path: string): Promise<number | undefined> {
  try {
    return parsePidFile(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function removePidFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

/**
 * Linux: /proc tells liveness (a zombie counts as dead: a QEMU reparented to a PID 1 that
 * does not reap stays a zombie) and the command line. Elsewhere: signal 0.
 */
export async function probeProcess(pid: number): Promise<ProcessFacts> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return { alive: false };
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    if (cmdline.at(-1) === '') cmdline.pop();
    return { alive: true, cmdline };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && process.platform === 'linux') return { alive: false };
  }
  try {
    process.kill(pid, 0);
    return { alive: true };
  } catch (error) {
    return { alive: (error as NodeJS.ErrnoException).code === 'EPERM' };
  }
}

export async function findVmProcess(pidFile: string, probe: (pid: number) => Promise<ProcessFacts> = probeProcess): Promise<PidVerdict> {
  const pid = await readPidFile(pidFile);
  return judgePid(pid, pid === undefined ? undefined : await probe(pid), pidFile);
}
