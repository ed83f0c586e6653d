import { TwinboxError } from '../plugin-api/index.js';
import { openCore } from '../core/open-core.js';
import type { CommandContext } from './table.js';
import { parseCommandArgs } from './usage-error.js';

/** Whether both ends of this process are a terminal: the dashboard reads keys and draws a screen. */
export function onTerminal(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true;
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  parseCommandArgs({ args, options: {} });
  if (!onTerminal()) {
    throw new TwinboxError('not-a-terminal', 'the dashboard needs a terminal: standard input and output must both be one', {
      hint: 'run `twinbox status` (or `twinbox status --json`) for the same information as plain text',
      exit: 'usage',
    });
  }
  const core = openCore({ env: context.env });
  // Ink costs ~400 ms to load: only the dashboard pays it, and only once it knows it can draw.
  const { runDashboard } = await import('../ui/dashboard/run-dashboard.js');
  return runDashboard(core, context.env);
}
