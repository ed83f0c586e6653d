import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchHome, installManyForBench, removeBenchHome } from './installed-home.js';
import { ratio, timeCommandsSideBySide, type BenchResult } from './measure.js';
import { freeLoopbackPort } from '../test/helpers/ports.js';

const BIN = fileURLToPath(new URL('../../bin/twinbox.js', import.meta.url));
const SCRIPT = '/usr/bin/script';
const WORKSPACES = 20;

function quote(argument: string): string {
  return `'${argument.replaceAll("'", "'\\''")}'`;
}

/** The command in an 80x24 pseudo-terminal through util-linux `script`, as bench/ui-dashboard.ts runs the dashboard. */
function inTerminal(command: string[]): string[] {
  return ['-qec', `stty rows 24 cols 80; exec ${command.map(quote).join(' ')}`, '/dev/null'];
}

/**
 * The dashboard's first frame with the list (TWINBOX_DASHBOARD_EXIT_AFTER=first-list) with 3
 * and with 10 fleet hosts, each against the same dashboard with none, side by side in a pty.
 * The hosts come from a machine policy folder (TWINBOX_POLICY_DIR) per case, the empty one
 * included, so all three read policy alike. Each host is its own loopback port with nothing on
 * it: the list never waits for a host (each shows "connecting" until its stream answers, and
 * the streams start once the list is drawn), so the figure is what the hosts cost the first
 * list — reading the setting, loading the fleet code, the host panel, ending the ssh processes
 * started by then — not any host's round trip.
 */
export async function fleetDashboardBench(rounds: number): Promise<BenchResult[]> {
  if (!existsSync(SCRIPT) || process.platform !== 'linux') throw new Error('the fleet dashboard benchmark needs Linux and util-linux `script` for a pseudo-terminal');
  const bench = benchHome('tbx-bench-fleet-');
  try {
    await installManyForBench(bench, WORKSPACES);
    const policy = async (label: string, hosts: number) => {
      const dir = join(bench.home, `policy-${label}`);
      mkdirSync(dir, { recursive: true });
      const entries: Array<[string, string]> = [];
      // Loopback ports nothing listens on: ssh is refused there at once.
      for (let index = 0; index < hosts; index++) entries.push([`host-${index}`, `ssh://127.0.0.1:${await freeLoopbackPort()}`]);
      writeFileSync(join(dir, 'policy.json'), JSON.stringify({ hosts: Object.fromEntries(entries) }));
      return { ...bench.env, TWINBOX_POLICY_DIR: dir, TWINBOX_DASHBOARD_EXIT_AFTER: 'first-list' };
    };
    const dashboard = inTerminal([process.execPath, BIN, 'dashboard']);
    const times = timeCommandsSideBySide(
      [
        { label: 'none', command: SCRIPT, args: dashboard, env: await policy('none', 0) },
        { label: '3', command: SCRIPT, args: dashboard, env: await policy('3', 3) },
        { label: '10', command: SCRIPT, args: dashboard, env: await policy('10', 10) },
      ],
      rounds,
    );
    const none = times.get('none')!;
    const figure = (hosts: string) =>
      ratio(`dashboard first frame with the list, ${WORKSPACES} workspaces here and ${hosts} fleet hosts / with none, both in a pty`, times.get(hosts)!, none, 1.5, `${times.get(hosts)!.toFixed(0)} ms vs ${none.toFixed(0)} ms`);
    return [figure('3'), figure('10')];
  } finally {
    removeBenchHome(bench.home);
  }
}
