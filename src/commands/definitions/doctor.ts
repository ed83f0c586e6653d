import type { CommandDefinition } from '../command-context.js';

export const doctor: CommandDefinition = {
  name: 'doctor',
  summary: 'check what this machine offers (QEMU, KVM, VirtualBox, Hyper-V) and the state files; --repair puts damaged state right',
  help: `Usage: twinbox doctor [--repair] [--json]

Checks each hypervisor tool and acceleration, the state folders and the plugins, and says for
each what is missing and how to fix it. Then checks every state file (settings, the workspace
registry and each workspace's copy of its entry, app-usage.json, host-integration.json, the
policy cache, and per workspace its setup journal, agent-health.json, setup status,
maintenance and guest OS records and app catalog) and lists what is damaged, temporary files of
writers that died, staging folders of killed installs, and setups that were interrupted (left
as they are: \`twinbox setup NAME\` resumes them).

With --repair it does what needs no answer from you, each under the lock that file's writers
take: a damaged file is kept aside as FILE.corrupt-<time> (never deleted) and its recovery
applies (the registry is rebuilt from the workspace folders, a workspace's copy of its entry
is written again, settings go back to their defaults, launch counts start again, the others
are written again by what writes them); a package that a killed \`install --overwrite\` left
in the store's trash is put back; dead writers' temporary files, killed installs'
staging folders and the empty runtime folders of state folders that are gone are removed. A
damaged app catalog is only reported: \`twinbox apps NAME --refresh\` asks the guest again.

Exit codes: without --repair, 0 when a real hypervisor is usable and the state is whole, 1
when only the fake (simulated) one is or something is damaged. With --repair, 0 when the state
is whole now, 1 when something is left for you to fix (the line names it), 75 when a file to
repair is locked by another twinbox process (run it again once that is done).

Options:
  --repair  repair what can be repaired without asking (see above)
  --json    print the checks and the state findings as JSON: {checks, realHypervisors, ok,
            state: {repair, whole, findings: [{kind, file, workspace, problem, status
            (repaired, damaged, busy or resumable), action, backupPath}]}}`,
  load: () => import('../doctor.js'),
};
