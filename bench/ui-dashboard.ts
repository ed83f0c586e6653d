import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchHome, installManyForBench, removeBenchHome } from './installed-home.js';
import { ratio, timeCommandsSideBySide, type BenchResult } from './measure.js';

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

/** The dashboard's CPU use while it shows 20 workspaces and nobody types: its 2 s status poll and nothing else. */
async function idleCpu(env: NodeJS.ProcessEnv): Promise<number> {
  const terminal = spawn(SCRIPT, inTerminal([process.execPath, BIN, 'dashboard']), { env, stdio: ['pipe', 'ignore', 'ignore'] });
  try {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const dashboard = childOf(terminal.pid!);
    if (dashboard === undefined) throw new Error('the dashboard did not start in the pseudo-terminal');
    const before = cpuSeconds(dashboard);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    return ((cpuSeconds(dashboard) - before) / (IDLE_MS / 1000)) * 100;
  } finally {
    terminal.stdin.end('q');
    terminal.kill();
  }
}

/**
 * The dashboard's first frame, and its first frame with the list of 20 workspaces read and
 * drawn (closed through the documented TWINBOX_DASHBOARD_EXIT_AFTER hook), against
 * `node -e 0`, all in a pseudo-terminal; and its CPU use when idle with the 20 workspaces.
 */
export async function dashboardBench(rounds: number): Promise<BenchResult[]> {
  if (!existsSync(SCRIPT) || process.platform !== 'linux') throw new Error('the dashboard benchmark needs Linux and util-linux `script` for a pseudo-terminal');
  const bench = benchHome('tbx-bench-ui-');
  try {
    await installManyForBench(bench, WORKSPACES);
    const dashboard = [process.execPath, BIN, 'dashboard'];
    const times = timeCommandsSideBySide(
      [
        { label: 'node', command: SCRIPT, args: inTerminal([process.execPath, '-e', '0']) },
        { label: 'frame', command: SCRIPT, args: inTerminal(dashboard), env: { ...bench.env, TWINBOX_DASHBOARD_EXIT_AFTER: 'first-frame' } },
        { label: 'list', command: SCRIPT, args: inTerminal(dashboard), env: { ...bench.env, TWINBOX_DASHBOARD_EXIT_AFTER: 'first-list' } },
      ],
      rounds,
    );
    const node = times.get('node')!;
    const ms = (label: string) => `${times.get(label)!.toFixed(0)} ms vs ${node.toFixed(0)} ms`;
    const cpu = Math.round((await idleCpu(bench.env)) * 100) / 100;
    return [
      ratio('dashboard first frame / node -e 0, both in a pty', times.get('frame')!, node, 4, ms('frame')),
      ratio(`dashboard first frame with the list of ${WORKSPACES} workspaces / node -e 0, both in a pty`, times.get('list')!, node, 4, ms('list')),
      { name: `idle dashboard with ${WORKSPACES} workspaces: CPU of one core over ${IDLE_MS / 1000} s`, value: cpu, unit: '%', target: 1, pass: cpu <= 1, detail: 'user + system time from /proc' },
    ];
  } finally {
    // The fleet's VMs were created, never started: removing the home removes them.
    removeBenchHome(bench.home);
  }
}
