import { TwinboxError } from '../plugin-api/index.js';
import type { CommandContext } from './command-context.js';
import { openDashboard, POLL_MS, type DashboardFlags } from './open-dashboard.js';
import { onTerminal } from './terminal-checks.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

const REFRESH_RANGE_S = { min: 0.5, max: 3600 };

export function parseDashboardArgs(args: string[]): DashboardFlags {
  const { values } = parseCommandArgs({ args, options: { 'read-only': { type: 'boolean' }, refresh: { type: 'string' } } });
  let pollMs = POLL_MS;
  if (values.refresh !== undefined) {
    const seconds = Number(values.refresh);
    if (values.refresh.trim() === '' || !Number.isFinite(seconds) || seconds < REFRESH_RANGE_S.min || seconds > REFRESH_RANGE_S.max) {
      throw new UsageError(`--refresh: "${values.refresh}" is not a number of seconds from ${REFRESH_RANGE_S.min} to ${REFRESH_RANGE_S.max}`);
    }
    pollMs = Math.round(seconds * 1000);
  }
  return { pollMs, readOnly: values['read-only'] === true };
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const flags = parseDashboardArgs(args);
  if (!onTerminal()) {
    throw new TwinboxError('not-a-terminal', 'the dashboard needs a terminal: standard input and output must both be one', {
      hint: 'run `twinbox status` (or `twinbox status --json`) for the same information as plain text',
      exit: 'usage',
    });
  }
  return openDashboard(context.env, undefined, flags);
}
