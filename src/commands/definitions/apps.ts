import type { CommandDefinition } from '../command-context.js';

export const apps: CommandDefinition = {
  name: 'apps',
  summary: 'list the apps a workspace publishes (or every workspace you may use)',
  help: `Usage: twinbox apps [WORKSPACE] [--refresh] [--json]

Lists the published apps of a workspace: id, name, kind (command: prints output; terminal:
interactive; gui: needs a display) and source (discovered in the guest, or declared in the
package's workspace.json). Without a name: the apps of every workspace you may use, yours
and the machine-wide ones, with the workspace and its scope (user or system). A name another
workspace also publishes is shown as "Name (workspace)". Nothing is published while the
publishing.enabled setting is off. Without --refresh it reads only: starts nothing, takes no
lock.

Options:
  --refresh   run app discovery in the running guest first: apps whose desktop file was
              removed or renamed there go, renamed apps keep their id; the change is logged
              (event 3200). Takes the workspace's lock for the refresh (exit 75 when busy)
  --json      print [{id, name, guestName, kind, source, path, categories}] (with workspace
              and scope without a name)

Exit codes: 0 ok, 2 no such workspace, 4 denied by machine policy (access.workspaces),
75 busy (--refresh)`,
  load: () => import('../apps.js'),
};
