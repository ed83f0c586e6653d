import type { CommandDefinition } from '../command-context.js';

export const demo: CommandDefinition = {
  name: 'demo',
  summary: 'install and set up a demo workspace on QEMU (or the fake hypervisor) and open the dashboard',
  help: `Usage: twinbox demo [--qemu | --fake] [--no-ui] [--remove] [--json]

Packs, installs and sets up a workspace named "demo" on the best hypervisor here — QEMU with
the tiny real guest when QEMU is installed and the guest is built (scripts/build-tiny-guest.sh),
otherwise the built-in fake hypervisor, clearly labelled as simulated — starts it, waits for
its guest agent, lists its published apps (a command app and a terminal app) and runs the
command app in the guest. On a terminal it then opens the dashboard; the workspace keeps
running when the dashboard closes. A second run reuses the workspace.

Options:
  --qemu     insist on QEMU (exit 1 with the reason when it cannot be used)
  --fake     use the fake (simulated) hypervisor
  --no-ui    exit once the workspace is ready instead of opening the dashboard (for scripts;
             without a terminal, and with --json, the demo never opens it)
  --remove   uninstall the demo workspace with its VM
  --json     print the result as JSON`,
  load: () => import('../demo.js'),
};
