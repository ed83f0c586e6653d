import type { CommandDefinition } from '../command-context.js';

export const logs: CommandDefinition = {
  name: 'logs',
  summary: "show a workspace's event log",
  help: `Usage: twinbox logs NAME [--lines N] [--follow] [--json]

Prints the workspace's events: time, level, event code, category and message (setup steps,
setup script output, VM state changes, guest agent). The level written is the log.level
setting (error, warn, info, debug).

Options:
  --lines N, -n N   how many of the last events to print (default 50)
  --follow, -f      keep printing new events until Ctrl-C
  --json            print each event as a JSON line`,
  load: () => import('../logs.js'),
};
