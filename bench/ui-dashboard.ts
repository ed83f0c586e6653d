import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchHome, installManyForBench, removeBenchHome } from './installed-home.js';
import { comparison, median, ratio, spread, type BenchResult } from './measure.js';
import { inkFloorProgram, sampleScreensSideBySide } from './screen-timing.js';
import { mib, statusField } from './residency.js';

const BIN = fileURLToPath(new URL('../../bin/twinbox.js', import.meta.url));
const SCRIPT = '/usr/bin/script';
const WORKSPACES = 20;
const IDLE_MS = 10_000;
/**
 * Startup is over by then: the first frame, importing and detecting every plugin for the
 * hypervisor labels, and V8's first full collection of what start-up left behind (about 50 ms
 * of CPU, once, some 15–25 s in: a CPU profile shows it). A window that caught it measured 1.5%
 * one run and 0.2% the next; the idle dashboard itself costs the same every 10 s after it.
 */
const SETTLE_MS = 30_000;

function quote(argument: string): string {
  return `'${argument.replaceAll("'", "'\\''")}'`;
}

/**
 * Runs a command line in a pseudo-terminal of 80x24 through util-linux `script`, so the program
 * sees a terminal on stdin and stdout; the baseline runs the same way, so the pty costs both alike.
 */
function inTerminal(command: string[]): string[] {
  return ['-qec', `stty rows 24 cols 80; exec ${command.map(quote).join(' ')}`, '/dev/null'];
}

/** CPU time (user + system) of a process so far, in seconds, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime), counted after the command name: indexes 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function childOf(pid: number): number | undefined {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean);
  return children.length > 0 ? Number(children[0]) : undefined;
}

interface Idle {
  /** CPU of one core, in percent, over the idle window. */
  cpu: number;
  /** Median resident memory over the idle window. */
  rssBytes: number;
}

/**
 * A program in the pseudo-terminal while nobody types: after `settleMs`, its CPU use over
 * `idleMs` and its resident memory sampled every 100 ms. For the dashboard with 20
 * workspaces that is its 2 s status poll and nothing else.
 */
async function idleInTerminal(command: string[], env: NodeJS.ProcessEnv, settleMs: number, idleMs: number): Promise<Idle> {
  const terminal = spawn(SCRIPT, inTerminal(command), { env, stdio: ['pipe', 'ignore', 'ignore'] });
  try {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const pid = childOf(terminal.pid!);
    if (pid === undefined) throw new Error(`${command.join(' ')} did not start in the pseudo-terminal`);
    const before = cpuSeconds(pid);
    const samples: number[] = [];
    const sampler = setInterval(() => {
      const rss = statusField(pid, 'VmRSS');
      if (rss !== undefined) samples.push(rss);
    }, 100);
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    clearInterval(sampler);
    return { cpu: ((cpuSeconds(pid) - before) / (idleMs / 1000)) * 100, rssBytes: median(samples) };
  } finally {
    terminal.stdin.end('q');
    terminal.kill();
  }
}

/**
 * The dashboard's first frame, and its list of 20 workspaces read and drawn, each timed to
 * the moment a terminal emulator shows it, against `node -e 0` timed to its exit, all in a
 * pseudo-terminal; and its CPU use and memory when idle with the 20
 * workspaces, the memory against a `node` that only waits in the same pseudo-terminal.
 */
export async function dashboardBench(rounds: number): Promise<BenchResult[]> {
  if (!existsSync(SCRIPT) || process.platform !== 'linux') throw new Error('the dashboard benchmark needs Linux and util-linux `script` for a pseudo-terminal');
  const bench = benchHome('tbx-bench-ui-');
  try {
    await installManyForBench(bench, WORKSPACES);
    // Timed to what the screen shows (bench/screen-timing.ts): the dashboard's title, then the
    // first workspace's row; `node -e 0` to its exit, in the same kind of pseudo-terminal.
    const floor = await inkFloorProgram(fileURLToPath(new URL('../ink-floor/', import.meta.url)));
    const samples = await sampleScreensSideBySide(
      [
        { label: 'node', command: process.execPath, args: ['-e', '0'] },
        { label: 'ink', command: process.execPath, args: [floor.file], shows: (rows) => rows.some((row) => row.includes(floor.text)) },
        { label: 'frame', command: process.execPath, args: [BIN, 'dashboard'], env: bench.env, shows: (rows) => rows[0]!.includes('twinbox dashboard') },
        { label: 'list', command: process.execPath, args: [BIN, 'dashboard'], env: bench.env, shows: (rows) => rows.some((row) => /\bws-0\b/.test(row)) },
      ],
      rounds,
    );
    const times = new Map([...samples].map(([label, values]) => [label, median(values)]));
    const nodeMs = times.get('node')!;
    const ms = (label: string) => `${spread(samples.get(label)!)} vs node -e 0 ${spread(samples.get('node')!)}`;
    const idle = await idleInTerminal([process.execPath, BIN, 'dashboard'], bench.env, SETTLE_MS, IDLE_MS);
    const cpu = Math.round(idle.cpu * 100) / 100;
    const node = await idleInTerminal([process.execPath, '-e', 'setInterval(()=>{},1e3)'], process.env, 1000, 3000);
    const ink = await idleInTerminal([process.execPath, floor.file], process.env, 1000, 3000);
    return [
      comparison('the smallest Ink program (one line of text) on screen / node -e 0, both in a pty: the floor under any Ink screen', times.get('ink')!, nodeMs, ms('ink')),
      ratio('dashboard first frame on screen / node -e 0, both in a pty', times.get('frame')!, nodeMs, 4, ms('frame')),
      ratio('dashboard first frame on screen / the smallest Ink program on screen', times.get('frame')!, times.get('ink')!, 1.25, `${spread(samples.get('frame')!)} vs ${spread(samples.get('ink')!)}`),
      ratio(`dashboard list of ${WORKSPACES} workspaces on screen / node -e 0, both in a pty`, times.get('list')!, nodeMs, 3, ms('list')),
      { name: `idle dashboard with ${WORKSPACES} workspaces: CPU of one core over ${IDLE_MS / 1000} s`, value: cpu, unit: '%', target: 0.5, pass: cpu <= 0.5, detail: 'user + system time from /proc' },
      ratio(
        `idle dashboard with ${WORKSPACES} workspaces: memory / node -e 'setInterval(()=>{},1e3)', both in a pty`,
        idle.rssBytes,
        node.rssBytes,
        1.5,
        `median RSS ${mib(idle.rssBytes)} MiB vs ${mib(node.rssBytes)} MiB`,
      ),
      comparison(
        "the smallest Ink program idle: memory / node -e 'setInterval(()=>{},1e3)', both in a pty: the floor under any Ink screen",
        ink.rssBytes,
        node.rssBytes,
        `median RSS ${mib(ink.rssBytes)} MiB vs ${mib(node.rssBytes)} MiB`,
      ),
      ratio(`idle dashboard with ${WORKSPACES} workspaces: memory / the smallest Ink program idle`, idle.rssBytes, ink.rssBytes, 1.25, `median RSS ${mib(idle.rssBytes)} MiB vs ${mib(ink.rssBytes)} MiB`),
    ];
  } finally {
    // The fleet's VMs were created, never started: removing the home removes them.
    removeBenchHome(bench.home);
  }
}
