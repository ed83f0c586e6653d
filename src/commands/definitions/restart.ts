import type { CommandDefinition } from '../command-context.js';

export const restart: CommandDefinition = {
  name: 'restart',
  summary: 'reboot a workspace',
  help: `Usage: twinbox restart NAME [--force] [--timeout S] [--json]

Shuts the VM down (gracefully, forced after the time limit), starts it again and waits until
its guest agent answers.

Options:
  --force       power off at once instead of a graceful shutdown
  --timeout S   time limit for the shutdown and for the guest to answer again
  --json        print the result as JSON`,
  load: () => import('../restart.js'),
};
