import type { CommandDefinition } from '../command-context.js';

export const uninstall: CommandDefinition = {
  name: 'uninstall',
  summary: 'remove an installed workspace: its VM, its package and its folder',
  help: `Usage: twinbox uninstall NAME [--keep-user-data] [--force] [--system] [--json]

Takes the workspace's lock, removes its VM through its hypervisor plugin (with its disks),
deletes the installed package from the store, the workspace folder and the registry entry.
A machine-wide workspace is removed with --system, by an admin: every version of its package
leaves the system store (users' VMs on it stop working; each user's \`twinbox uninstall NAME\`
then removes their own VM and state).

Options:
  --keep-user-data   keep the workspace folder (event log, setup journal, your files)
  --force            remove it even when its VM cannot be removed through its hypervisor
                     (a damaged VM record): the VM's files go with the folder
  --system           remove the machine-wide workspace NAME (root or group twinbox)
  --json             print the result as JSON

Exit codes: 0 removed, 2 no such workspace, 4 a machine-wide workspace and you are not an
admin, 75 the workspace is busy`,
  load: () => import('../uninstall.js'),
};
