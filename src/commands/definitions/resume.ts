import type { CommandDefinition } from '../command-context.js';

export const resume: CommandDefinition = {
  name: 'resume',
  summary: 'continue a suspended or paused workspace',
  help: `Usage: twinbox resume NAME [--timeout S] [--json]

Restores a suspended (or paused) VM and waits until its guest agent answers.

Options:
  --timeout S   how long to wait for the guest (default 300 s)
  --json        print the result as JSON`,
  load: () => import('../resume.js'),
};
