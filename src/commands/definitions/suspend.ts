import type { CommandDefinition } from '../command-context.js';

export const suspend: CommandDefinition = {
  name: 'suspend',
  summary: "save a workspace's memory to disk and stop it",
  help: `Usage: twinbox suspend NAME [--json]

Saves the VM's memory to disk and stops it; \`twinbox resume\` or \`twinbox start\` continues it.`,
  load: () => import('../suspend.js'),
};
