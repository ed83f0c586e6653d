import type { CommandDefinition } from '../command-context.js';

export const stop: CommandDefinition = {
  name: 'stop',
  summary: 'shut a workspace down (gracefully, then forced)',
  help: `Usage: twinbox stop NAME [--force] [--timeout S] [--json]

Asks the guest to shut down and powers the VM off if it has not within the time limit.

Options:
  --force       power off at once
  --timeout S   how long the graceful shutdown may take (default 60 s)
  --json        print the result as JSON`,
  load: () => import('../stop.js'),
};
