import type { CommandDefinition } from '../command-context.js';

export const stop: CommandDefinition = {
  name: 'stop',
  summary: 'shut a workspace down (gracefully, then forced)',
  help: `Usage: twinbox stop NAME [--force] [--timeout S] [--json]

Asks the guest to shut down and powers the VM off if it has not within the time limit: first
through the guest agent when it answers (within 2 s; up to half the time limit), then the
hypervisor's graceful stop (the ACPI power button; Hyper-V's shutdown service), then power-off.
--json says which worked ("via": guest-agent, hypervisor or power-off), as the event log does.

Options:
  --force       power off at once
  --timeout S   how long the graceful shutdown may take (default 60 s)
  --json        print the result as JSON`,
  load: () => import('../stop.js'),
};
