import type { CommandDefinition } from '../command-context.js';

export const publish: CommandDefinition = {
  name: 'publish',
  summary: "put each published app on the host: a command in ~/.local/bin and a menu entry",
  help: `Usage: twinbox publish --shims [--bin-dir DIR] [--applications-dir DIR] [--json]
       twinbox publish --shims --remove [--json]

Makes, for every app published by the workspaces you may use, a command WORKSPACE-APP in
~/.local/bin (TWINBOX_BIN_DIR or --bin-dir overrides it) that runs \`twinbox run WORKSPACE
APP -- ARGS\`, host paths in ARGS under one of the package's shared folders handed over as the
guest's paths; and, for terminal and GUI apps, a .desktop entry in
$XDG_DATA_HOME/applications (~/.local/share/applications) for desktop menus. Running it again
brings them in line with the apps now published: new apps get theirs, renamed ones are
rewritten, removed ones (and those of uninstalled workspaces) go. twinbox records the files it
made (<data>/host-integration.json) and only ever changes or removes those, and none that was
edited since; a file of the same name it did not make is left alone and reported.

Options:
  --shims                  the commands and menu entries (the one kind of host integration)
  --remove                 remove every file twinbox made this way and turn it off
  --bin-dir DIR            where the commands go (default ~/.local/bin, or TWINBOX_BIN_DIR)
  --applications-dir DIR   where the menu entries go (default $XDG_DATA_HOME/applications)
  --json                   print {binDir, applicationsDir, created, updated, removed, unchanged, skipped}

Exit codes: 0 done, 2 bad arguments, 75 another twinbox is changing them`,
  load: () => import('../publish.js'),
};
