import type { CommandDefinition } from '../command-context.js';

export const status: CommandDefinition = {
  name: 'status',
  summary: 'show the installed workspaces: state, setup, apps and who is changing them',
  help: `Usage: twinbox status [NAME] [--json]
       twinbox status [NAME] --json --watch [--interval S]

Shows each installed workspace (or one), yours (scope user) and the machine-wide ones (scope
system; one hidden by your own of the same name is listed as such), except those machine
policy (access.workspaces) denies you: version, hypervisor, the VM's state as the hypervisor
reports it now with the reason, first-time setup (state, failing step and event code), the
number of published apps and the process changing it, if any. Never waits for a lock.

Options:
  --json         print the status as JSON (an array, or one object with NAME), with the last
                 setup's status record (user, host, status code 0 or the failing event, UTC time)
  --watch        with --json, keep watching: one line {"type":"workspace","workspace":{...}}
                 per workspace, then {"type":"synced","at":TIME}, then a line for each
                 workspace that changes or appears, {"type":"removed","name","scope"} for one
                 that goes; until Ctrl-C, SIGTERM, SIGHUP or a closed pipe (exit 0)
  --interval S   how often --watch reads (0.2 to 3600 s, default 2)`,
  load: () => import('../status.js'),
};
