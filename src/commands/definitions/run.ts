import type { CommandDefinition } from '../command-context.js';

export const run: CommandDefinition = {
  name: 'run',
  summary: 'run a published app in the guest (starting the workspace if needed)',
  help: `Usage: twinbox run WORKSPACE APP [--quiet] [--map-paths] [-- ARGS...]

Runs a published app (by id or name) in the workspace's guest, starting, resuming or first
setting up the workspace when needed. ARGS after -- are passed to the app.
  command apps   their output is printed when they end; twinbox exits with their exit code
  terminal apps  take over this terminal interactively on a console port of the VM: keys,
                 Ctrl-C and window resizes reach the app; Ctrl-] leaves the session
                 (the app is hung up); twinbox exits with the app's exit code
  GUI apps       are started in the guest and left running on the VM's screen (a package
                 with vm.display "console"), or as their own window through RDP RemoteApp
                 where the guest offers RDP; twinbox prints where. Refused without
                 a display here (no DISPLAY or WAYLAND_DISPLAY, as over SSH)

Options:
  --quiet, -q   no progress lines on stderr
  --map-paths   ARGS naming host paths under one of the package's shared folders (absolute,
                or relative and existing) are passed as the guest's paths`,
  load: () => import('../run.js'),
};
