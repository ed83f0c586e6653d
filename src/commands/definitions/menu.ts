import type { CommandDefinition } from '../command-context.js';

export const menu: CommandDefinition = {
  name: 'menu',
  summary: 'the app menu for end users: pick a published app and run it (fits an SSH forced command)',
  help: `Usage: twinbox menu [--list] [--json]

A full-screen menu of the published apps of every workspace you may use (the access.workspaces
setting), grouped by workspace and category, most used first. Type to filter (fuzzy: the
letters in order); Enter launches, starting or resuming the workspace first when needed.
Command apps show their output; terminal apps take over the terminal until they end
(Ctrl-] leaves them); graphical apps need a display this terminal does not have.

Keys: type to filter, Backspace erase, Ctrl-U clear, Up/Down, PgUp/PgDn, Home/End move,
Enter launch, q (empty filter), Esc, Ctrl-C, Ctrl-D leave (exit 0).

Safe as an SSH forced command (command="twinbox menu" in authorized_keys) or login shell:
no key opens a shell or an admin action, SSH_ORIGINAL_COMMAND is ignored, and leaving or a
dropped connection never stops a workspace.

Options:
  --list   print the same list as plain text for scripts (no terminal needed)
  --json   print it as JSON: [{workspace, category, group, id, name, kind, uses, helpUrl}]

Exit codes: 0 left normally, 2 not on a terminal (use --list) or bad arguments`,
  load: () => import('../menu.js'),
};
