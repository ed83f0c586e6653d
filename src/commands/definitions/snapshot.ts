import type { CommandDefinition } from '../command-context.js';

export const snapshot: CommandDefinition = {
  name: 'snapshot',
  summary: 'list, take, restore or delete snapshots of a workspace VM',
  help: `Usage: twinbox snapshot list WORKSPACE [--json]
       twinbox snapshot take WORKSPACE [NAME] [--json]
       twinbox snapshot restore WORKSPACE NAME [--yes] [--timeout S] [--json]
       twinbox snapshot delete WORKSPACE NAME [--yes] [--json]

Snapshots of the workspace's VM, on hypervisors that have them (QEMU, VirtualBox, Hyper-V,
the fake). take names the snapshot by the time (snap-YYYYMMDD-HHMMSS) unless NAME is given
(up to 64 letters, digits, ".", "_" or "-"). restore shuts a running or paused VM down first
(gracefully, then forced after --timeout, default 60 s), restores the snapshot and leaves the
VM stopped; a snapshot that does not exist changes nothing. restore and delete ask on a
terminal; without one they need --yes (exit 2 otherwise). take, restore and delete hold the
workspace's lock (exit 75 while another twinbox holds it); each is in the event log.

Options:
  --yes, -y     confirm restore or delete without asking
  --timeout S   how long restore's graceful shutdown may take before it is forced
  --json        list: [{name, createdAt, sizeBytes}]; take: {workspace, snapshot};
                restore: {workspace, snapshot, was, state}; delete: {workspace, snapshot, left}

Exit codes: 0 done, 1 cancelled at the question, 2 bad arguments, no such workspace or
snapshot, no snapshots on this hypervisor, no terminal to confirm on, 75 busy`,
  load: () => import('../snapshot.js'),
};
