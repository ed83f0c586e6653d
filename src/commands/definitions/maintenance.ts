import type { CommandDefinition } from '../command-context.js';

export const maintenance: CommandDefinition = {
  name: 'maintenance',
  summary: "run a workspace's maintenance window now, or show the windows' state",
  help: `Usage: twinbox maintenance run WORKSPACE [--json]
       twinbox maintenance status [WORKSPACE] [--json]

The maintenance window (MED-V's): at maintenance.schedule the host agent starts or resumes a
stopped or suspended workspace, runs maintenance.commands in the guest through its guest agent
(each within maintenance.commandTimeoutMinutes, all within maintenance.windowMinutes), logs
their output (events 6040–6050) and puts the workspace back as it was: stopped, suspended or
running, also after a failure or an overrun. An app running as the window opens skips it
(maintenance.whenInUse skip) or is waited for (wait); a workspace an app is running in is never
stopped or suspended. run does the same now, holding the workspace's lock for the window.
status shows each workspace's next window and the last one's result.

Options:
  --json        run: {result, startedAt, durationMs, error?}; status: [{workspace, next?,
                running?, last?, lastSuccessAt?}]

Exit codes: 0 done, 1 a command failed, 2 bad arguments, no such workspace or one not set
up, 4 policy, 5 the window ran out (overrun), 75 busy (another twinbox holds the workspace, or
an app is in use and maintenance.whenInUse is skip)`,
  load: () => import('../maintenance.js'),
};
