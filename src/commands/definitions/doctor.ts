import type { CommandDefinition } from '../command-context.js';

export const doctor: CommandDefinition = {
  name: 'doctor',
  summary: 'check what this machine offers (QEMU, KVM, VirtualBox, Hyper-V) and how to fix what is missing',
  help: `Usage: twinbox doctor [--json]

Checks each hypervisor tool and acceleration, the state folders and the plugins, and says for
each what is missing and how to fix it. Exit code 0 when a real hypervisor is usable, 1 when
only the fake (simulated) one is.

Options:
  --json   print the checks as JSON`,
  load: () => import('../doctor.js'),
};
