import type { CommandDefinition } from '../command-context.js';

export const start: CommandDefinition = {
  name: 'start',
  summary: 'start a workspace (running first-time setup first if it never ran)',
  help: `Usage: twinbox start NAME [--timeout S] [--mode M] [--json]

Starts or resumes the workspace's VM and waits until its guest agent answers. A workspace that
was never set up is set up first (as MED-V did at first use); one whose setup failed is
refused with the way out.

Options:
  --timeout S   how long to wait for the guest (default 300 s); exit 5 when it does not answer
  --mode M      setup mode, if setup has to run (attended, unattended, silent)
  --json        print the result as JSON`,
  load: () => import('../start.js'),
};
