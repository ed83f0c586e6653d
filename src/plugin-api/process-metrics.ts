import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { VmMetrics, VmState, VmStatus } from './hypervisor.js';

/**
 * Linux's clock ticks per second in /proc/PID/stat (`USER_HZ`, what `getconf CLK_TCK` prints):
 * 100 on every architecture Linux supports today (proc(5): "utime … measured in clock ticks
 * (divide by sysconf(_SC_CLK_TCK))").
 */
const CLOCK_TICKS = 100;

/**
 * What a VM's host process has used, read from /proc (Linux): its CPU time since it started
 * (user + system, every thread: field 14 and 15 of /proc/PID/stat, proc(5)) and its resident
 * memory (`VmRSS` of /proc/PID/status). For plugins whose VM is one host process (QEMU, the
 * fake's simulated guest). Undefined where the process is gone or /proc is not there.
 */
export async function readProcessMetrics(pid: number, now: number = Date.now()): Promise<VmMetrics | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  let stat: string;
  let status: string;
  try {
    [stat, status] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/status`, 'utf8')]);
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces and parentheses itself.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Field 3 (state) is fields[0] here, so utime (14) and stime (15) are fields[11] and fields[12].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return {
    at: now,
    ...(Number.isFinite(utime) && Number.isFinite(stime) ? { cpuSeconds: (utime + stime) / CLOCK_TICKS } : {}),
    ...(rss ? { memoryBytes: Number(rss[1]) * 1024 } : {}),
  };
}

/** States in which a VM's host process runs its guest. */
const WITH_PROCESS: ReadonlySet<VmState> = new Set(['running', 'paused', 'starting']);

/** `readProcessMetrics` of a VM's process, for a plugin whose VM is one host process: none unless its state names a live one. */
export function runningProcessMetrics(status: VmStatus, now: number = Date.now()): Promise<VmMetrics | undefined> {
  if (status.pid === undefined || !WITH_PROCESS.has(status.state)) return Promise.resolve(undefined);
  return readProcessMetrics(status.pid, now);
}

/**
 * CPU use between two readings, in percent of the host's whole CPU capacity (100 when every
 * core was busy all the time), the measure VirtualBox (`CPU/Load/*` of a VM: the process's ticks
 * over the host's total, Performance.cpp MachineCpuLoadRaw) and Hyper-V (Get-VM CPUUsage) give:
 * the hypervisor's own rate where it has one, else the CPU time used between the readings over
 * the time between them and the host's `cores`. Undefined when neither can be had (a first
 * reading, a process restarted in between).
 */
export function cpuPercentBetween(previous: VmMetrics | undefined, current: VmMetrics, cores: number = cpus().length || 1): number | undefined {
  if (current.cpuPercent !== undefined) return current.cpuPercent;
  if (!previous || previous.cpuSeconds === undefined || current.cpuSeconds === undefined) return undefined;
  const seconds = (current.at - previous.at) / 1000;
  const used = current.cpuSeconds - previous.cpuSeconds;
  if (seconds <= 0 || used < 0) return undefined;
  return Math.round((used / seconds / cores) * 1000) / 10;
}
