import type { CommandDefinition } from '../command-context.js';

export const reset: CommandDefinition = {
  name: 'reset',
  summary: 'delete a workspace VM and set it up again from the base image',
  help: `Usage: twinbox reset NAME [--yes] [--mode M] [--json]

Deletes the workspace's VM with everything in it and runs first-time setup again from the
installed base image: the way out of a failed setup. Asks for confirmation on a terminal;
without one it needs --yes (exit 2 otherwise). On a machine-wide workspace only an admin may
reset (exit 4 otherwise).

Options:
  --yes, -y   confirm without asking
  --mode M    setup mode (attended, unattended, silent)
  --json      print setup's progress as JSON lines, then a {"type":"result"} line`,
  load: () => import('../reset.js'),
};
