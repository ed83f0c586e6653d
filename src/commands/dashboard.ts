import { TwinboxError } from '../plugin-api/index.js';
import { parseHostAddress } from '../core/remote/ssh-host.js';
import { hostNameRule } from '../core/settings/keys.js';
import type { CommandContext } from './command-context.js';
import { openDashboard, POLL_MS, type DashboardFlags } from './open-dashboard.js';
import { onTerminal } from './terminal-checks.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

const REFRESH_RANGE_S = { min: 0.5, max: 3600 };

export function parseDashboardArgs(args: string[], env: NodeJS.ProcessEnv = {}): DashboardFlags {
  const { values } = parseCommandArgs({ args, options: { 'read-only': { type: 'boolean' }, refresh: { type: 'string' }, host: { type: 'string' } } });
  let pollMs = POLL_MS;
  if (values.refresh !== undefined) {
    const seconds = Number(values.refresh);
    if (values.refresh.trim() === '' || !Number.isFinite(seconds) || seconds < REFRESH_RANGE_S.min || seconds > REFRESH_RANGE_S.max) {
      throw new UsageError(`--refresh: "${values.refresh}" is not a number of seconds from ${REFRESH_RANGE_S.min} to ${REFRESH_RANGE_S.max}`);
    }
    pollMs = Math.round(seconds * 1000);
  }
  const host = values.host ?? (env.TWINBOX_HOST || undefined);
  if (host !== undefined) checkHostChoice(host);
  return { pollMs, readOnly: values['read-only'] === true, ...(host !== undefined ? { host } : {}) };
}

/** --host NAME|ssh://…: an address must be one (parsed as --host parses it), a name must look like one; which names exist the settings tell later. */
function checkHostChoice(host: string): void {
  if (host.includes('://')) {
    parseHostAddress(host);
    return;
  }
  if (!hostNameRule.pattern.test(host)) {
    throw new TwinboxError('bad-host-address', `--host: ${JSON.stringify(host)} is neither a name of the hosts setting nor an ssh:// address`, {
      hint: 'give --host NAME (a name `twinbox config get hosts` lists) or --host ssh://[user@]host[:port]',
      exit: 'usage',
    });
  }
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const flags = parseDashboardArgs(args, context.env);
  if (!onTerminal()) {
    throw new TwinboxError('not-a-terminal', 'the dashboard needs a terminal: standard input and output must both be one', {
      hint: 'run `twinbox status` (or `twinbox status --json`) for the same information as plain text',
      exit: 'usage',
    });
  }
  return openDashboard(context.env, undefined, flags);
}
