/**
 * A soak under load on the fake hypervisor, bounded in time: `workers` processes at once doing
 * start, stop, suspend, resume, snapshot and run on `workspaces` workspaces through the real
 * CLI, while a long-lived host agent and a dashboard (in a pseudo-terminal) watch. Then the
 * checks: no command hung (deadlock), every refusal for a busy workspace is exit 75 with the
 * holder named, no failure outside the documented refusals, no torn, lost or duplicated event
 * (each stop, suspend and start attempt is logged exactly once), and the agent's and the
 * dashboard's open files, child processes and retained heap back where they were after
 * a warm-up under the same load (retained heap to within 10 % + 2 MiB, resident memory to within 10 %). `npm run soak` runs the long one; test/e2e/soak.test.ts a short one in `npm test`.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePaths } from '../../src/core/paths.js';
import { EventCodes } from '../../src/core/events/codes.js';
import { makeSimulatedImage } from '../../src/testing/index.js';
import { freeLoopbackPort, retainedHeapMiB } from './heap.js';

const BIN = fileURLToPath(new URL('../../../bin/twinbox.js', import.meta.url));
const SCRIPT = '/usr/bin/script';
/** No single command may take longer: one that does is hung. */
const COMMAND_LIMIT_MS = 120_000;

export interface SoakOptions {
  /** The measured run, after the warm-up. */
  durationMs: number;
  /** The warm-up under the same load before the first figures: a third of durationMs (at most 30 s) unless told. */
  warmupMs?: number;
  workers: number;
  workspaces: number;
  /** Seeds the choice of operations, so a failing run can be repeated. */
  seed?: number;
  log?: (line: string) => void;
}

export interface Watched {
  pid: number;
  fds: { warm: number; end: number };
  children: { warm: number; end: number };
  rssMiB: { warm: number; end: number };
  /** JavaScript heap still referenced after a forced full collection (see heap.ts). */
  heapMiB: { warm: number; end: number };
}

export interface SoakReport {
  operations: number;
  /** `op exit code` → how many. */
  outcomes: Record<string, number>;
  /** Exit 75 refusals, all of which must name the holder. */
  busy: number;
  busyUnnamed: string[];
  /** Failures outside the documented refusals. */
  unexpected: string[];
  hung: string[];
  /** Events files with a line that is not one JSON record. */
  tornEvents: string[];
  /** Per workspace, where the events logged and the operations that succeeded disagree. */
  eventMismatches: string[];
  agent?: Watched;
  dashboard?: Watched;
  /** Processes still carrying the soak's home once everything was removed. */
  leftovers: number[];
}

interface Result {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function twinbox(env: NodeJS.ProcessEnv, args: string[], limitMs = COMMAND_LIMIT_MS): Promise<Result & { hung: boolean }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? 128, stdout, stderr, ms: Date.now() - started, hung });
    });
  });
}

async function must(env: NodeJS.ProcessEnv, args: string[]): Promise<Result> {
  const result = await twinbox(env, args);
  if (result.exitCode !== 0) throw new Error(`twinbox ${args.join(' ')} exited ${result.exitCode}: ${result.stderr || result.stdout}`);
  return result;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

function childCount(pid: number): number {
  let count = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    count += readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(' ').filter(Boolean).length;
  }
  return count;
}

function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : 0;
}

function childOf(pid: number): number | undefined {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean);
  return children.length > 0 ? Number(children[0]) : undefined;
}

/**
 * The heap retained after a forced full collection (read through the process's inspector), then
 * the median of five readings a second apart (one reading may catch a collection or a poll).
 */
async function settledFigures(pid: number, inspectPort: number): Promise<{ fds: number; children: number; rss: number; heap: number }> {
  // The forced collection first: resident memory is then read with the garbage gone, at warm-up and at the end alike.
  const heap = await retainedHeapMiB(inspectPort);
  const fds: number[] = [];
  const children: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < 5; i++) {
    fds.push(fdCount(pid));
    children.push(childCount(pid));
    rss.push(rssMiB(pid));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { fds: middle(fds), children: middle(children), rss: middle(rss), heap };
}

/** Processes whose environment carries TWINBOX_HOME=home. */
function processesOf(home: string): number[] {
  const marker = `TWINBOX_HOME=${home}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

const OPERATIONS = ['start', 'stop', 'stop --force', 'suspend', 'resume', 'snapshot take', 'run'] as const;
type Operation = (typeof OPERATIONS)[number];

/** Error codes that are the documented answer to an operation the workspace's state does not allow. */
const STATE_REFUSALS = new Set(['vm-not-running', 'vm-not-suspended', 'consoles-busy']);

function argsOf(operation: Operation, workspace: string, serial: number): string[] {
  switch (operation) {
    case 'start':
      return ['start', workspace, '--json'];
    case 'stop':
      return ['stop', workspace, '--json'];
    case 'stop --force':
      return ['stop', workspace, '--force', '--json'];
    case 'suspend':
      return ['suspend', workspace, '--json'];
    case 'resume':
      return ['resume', workspace, '--json'];
    case 'snapshot take':
      return ['snapshot', 'take', workspace, `soak-${serial}`, '--json'];
    case 'run':
      return ['run', '--quiet', workspace, 'hello'];
  }
}

function errorOf(stdout: string): { code?: string; message?: string } | undefined {
  try {
    const parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { error?: { code?: string; message?: string } };
    return parsed.error;
  } catch {
    return undefined;
  }
}

export async function soak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const next = random(options.seed ?? 20261206);
  const home = mkdtempSync(join(tmpdir(), 'tbx-soak-'));
  const env: NodeJS.ProcessEnv = { ...process.env, TWINBOX_HOME: home, LANG: 'C.UTF-8', TERM: 'xterm-256color' };
  delete env.CI;
  delete env.NO_COLOR;
  const report: SoakReport = { operations: 0, outcomes: {}, busy: 0, busyUnnamed: [], unexpected: [], hung: [], tornEvents: [], eventMismatches: [], leftovers: [] };
  const names = Array.from({ length: options.workspaces }, (_, index) => `soak-${index}`);
  let agent: ReturnType<typeof spawn> | undefined;
  let terminal: ReturnType<typeof spawn> | undefined;
  try {
    // Five packages of the fake's simulated guest, installed and set up through the CLI.
    const source = join(home, 'source');
    mkdirSync(source);
    const image = await makeSimulatedImage(source);
    for (const name of names) {
      const folder = join(source, name);
      mkdirSync(folder);
      copyFileSync(image.path, join(folder, 'disk.img'));
      writeFileSync(
        join(folder, 'workspace.json'),
        JSON.stringify({
          name,
          version: '1.0.0',
          image: { file: 'disk.img', format: 'raw', sha256: 'auto' },
          vm: { memoryMiB: 256, cpus: 1, network: 'none' },
          hypervisors: { allowed: ['fake'] },
          setup: { copyTimeZone: false },
          publishing: { apps: [{ id: 'hello', name: 'Hello', kind: 'command', command: ['/bin/sh', '-c', 'echo soak'] }] },
        }),
      );
      await must(env, ['pack', folder, '--out', join(source, `${name}.twbx`)]);
      await must(env, ['install', join(source, `${name}.twbx`), '--unattended']);
      await must(env, ['setup', name]);
    }
    // The agent must not close workspaces behind the soak's back once a `run` ends.
    await must(env, ['config', 'set', 'workspace.idleMinutes', String(7 * 24 * 60)]);
    log(`${names.length} workspaces installed and set up`);

    // Both long-lived processes open a loopback inspector, through which their retained heap is read.
    const agentPort = await freeLoopbackPort();
    const dashboardPort = await freeLoopbackPort();
    agent = spawn(process.execPath, [`--inspect=127.0.0.1:${agentPort}`, BIN, 'agent'], { env, stdio: 'ignore' });
    terminal = existsSync(SCRIPT)
      ? spawn(SCRIPT, ['-qec', `stty rows 24 cols 80; exec '${process.execPath}' --inspect=127.0.0.1:${dashboardPort} '${BIN}' dashboard`, '/dev/null'], { env, stdio: ['pipe', 'ignore', 'ignore'] })
      : undefined;
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const dashboardPid = terminal?.pid === undefined ? undefined : childOf(terminal.pid);

    const since = new Date().toISOString();
    const succeeded = new Map<string, { stops: number; suspends: number }>(names.map((name) => [name, { stops: 0, suspends: 0 }]));
    let serial = 0;
    const load = async (ms: number) => {
      const deadline = Date.now() + ms;
      const worker = async () => {
        while (Date.now() < deadline) {
          const operation = OPERATIONS[Math.floor(next() * OPERATIONS.length)]!;
          const workspace = names[Math.floor(next() * names.length)]!;
          const args = argsOf(operation, workspace, serial++);
          const result = await twinbox(env, args);
          report.operations++;
          const key = `${operation} ${result.exitCode}`;
          report.outcomes[key] = (report.outcomes[key] ?? 0) + 1;
          const line = `twinbox ${args.join(' ')} → ${result.exitCode}: ${(result.stderr || result.stdout).trim().split('\n')[0]}`;
          if (result.hung) {
            report.hung.push(line);
            continue;
          }
          if (result.exitCode === 0) {
            if (operation.startsWith('stop') && !/"how": ?"already-stopped"/.test(result.stdout)) succeeded.get(workspace)!.stops++;
            if (operation === 'suspend' && !/"was": ?"suspended"/.test(result.stdout)) succeeded.get(workspace)!.suspends++;
            continue;
          }
          const error = errorOf(result.stdout);
          if (result.exitCode === 75) {
            report.busy++;
            const message = error?.message ?? result.stderr;
            if (!/process \d+/.test(message)) report.busyUnnamed.push(line);
            continue;
          }
          if (error?.code && STATE_REFUSALS.has(error.code)) continue;
          // Another process stopped or suspended the VM while the app ran: the app's session ends with it.
          if (operation === 'run' && result.exitCode === 1 && /the guest agent channel is closed|is not running|was stopped/.test(result.stderr)) {
            report.outcomes['run cut short by a stop'] = (report.outcomes['run cut short by a stop'] ?? 0) + 1;
            continue;
          }
          report.unexpected.push(line);
        }
      };
      await Promise.all(Array.from({ length: options.workers }, worker));
    };
    // Warm-up under the same load, so the figures compared are both of a process that has met
    // the work (caches filled, heap grown to its working size), then the measured run.
    await load(options.warmupMs ?? Math.min(30_000, Math.round(options.durationMs / 3)));
    const agentWarm = await settledFigures(agent.pid!, agentPort);
    const dashboardWarm = dashboardPid === undefined ? undefined : await settledFigures(dashboardPid, dashboardPort);
    log(`warm (after ${report.operations} operations): agent ${JSON.stringify(agentWarm)}, dashboard ${JSON.stringify(dashboardWarm)}`);
    await load(options.durationMs);
    log(`${report.operations} operations, ${report.busy} refused as busy`);

    const agentEnd = await settledFigures(agent.pid!, agentPort);
    const dashboardEnd = dashboardPid === undefined ? undefined : await settledFigures(dashboardPid, dashboardPort);
    const watched = (pid: number, warm: typeof agentWarm, end: typeof agentWarm): Watched => ({
      pid,
      fds: { warm: warm.fds, end: end.fds },
      children: { warm: warm.children, end: end.children },
      rssMiB: { warm: warm.rss, end: end.rss },
      heapMiB: { warm: warm.heap, end: end.heap },
    });
    report.agent = watched(agent.pid!, agentWarm, agentEnd);
    if (dashboardPid !== undefined && dashboardWarm && dashboardEnd) report.dashboard = watched(dashboardPid, dashboardWarm, dashboardEnd);

    // Every event a line of JSON; each stop and suspend that succeeded logged once; each start attempt ends in one outcome.
    const paths = resolvePaths(env);
    for (const name of names) {
      const file = join(paths.dataDir, 'workspaces', name, 'events.jsonl');
      const records: Array<{ time: string; code?: number }> = [];
      for (const text of readFileSync(file, 'utf8').split('\n')) {
        if (text === '') continue;
        try {
          records.push(JSON.parse(text) as { time: string; code?: number });
        } catch {
          report.tornEvents.push(`${name}: ${text.slice(0, 120)}`);
        }
      }
      const during = records.filter((record) => record.time >= since);
      const count = (code: number) => during.filter((record) => record.code === code).length;
      const done = succeeded.get(name)!;
      if (count(EventCodes.vmStopped) !== done.stops) report.eventMismatches.push(`${name}: ${count(EventCodes.vmStopped)} stop events for ${done.stops} stops`);
      if (count(EventCodes.vmSuspended) !== done.suspends) report.eventMismatches.push(`${name}: ${count(EventCodes.vmSuspended)} suspend events for ${done.suspends} suspends`);
      const outcomes = count(EventCodes.vmRunning) + count(EventCodes.vmResumed) + count(EventCodes.vmStartFailed);
      if (count(EventCodes.vmStarting) !== outcomes) report.eventMismatches.push(`${name}: ${count(EventCodes.vmStarting)} start attempts, ${outcomes} outcomes`);
    }
  } finally {
    terminal?.stdin?.end('q');
    agent?.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    terminal?.kill('SIGKILL');
    for (const name of names) await twinbox(env, ['uninstall', name, '--force', '--json'], 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    report.leftovers = processesOf(home);
    for (const pid of report.leftovers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    rmSync(resolvePaths({ TWINBOX_HOME: home }).runtimeDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
  return report;
}
