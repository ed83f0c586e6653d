/** One line per command: its module (imported only when it runs), summary and help text. */
export interface CommandModule {
  run(args: string[], context: CommandContext): Promise<number>;
}

export interface CommandContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface CommandEntry {
  summary: string;
  help: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  demo: {
    summary: 'set up and start a demo VM on QEMU (or the fake hypervisor) and show its guest apps',
    help: `Usage: twinbox demo [--qemu | --fake] [--remove] [--json]

Sets up a VM named "demo" on the best hypervisor here — QEMU with the tiny real guest when
QEMU is installed and the guest is built (scripts/build-tiny-guest.sh), otherwise the built-in
fake hypervisor, clearly labelled as simulated — starts it, waits for its guest agent, lists
the guest's published apps and runs the command app in the guest. The VM keeps running.

Options:
  --qemu     insist on QEMU (exit 1 with the reason when it cannot be used)
  --fake     use the fake (simulated) hypervisor
  --remove   stop and delete the demo VM
  --no-ui    accepted for scripts; the demo prints plain lines either way
  --json     print the result as JSON`,
    load: () => import('./demo.js'),
  },
  plugins: {
    summary: 'list hypervisor and guest-agent plugins with their status',
    help: `Usage: twinbox plugins [--json]

Lists every plugin found (built-in, folders in the plugins.paths setting, npm packages named
twinbox-plugin-*) with its kind, version, plugin API version and status:
  loaded       imported and usable on this machine
  unavailable  imported, but its hypervisor is not usable here (the reason says why)
  broken       bad manifest, incompatible API, or it failed to import or start

Options:
  --json   print a JSON array instead of a table`,
    load: () => import('./plugins.js'),
  },
  doctor: {
    summary: 'check what this machine offers (QEMU, KVM, VirtualBox, Hyper-V) and how to fix what is missing',
    help: `Usage: twinbox doctor [--json]

Checks each hypervisor tool and acceleration, the state folders and the plugins, and says for
each what is missing and how to fix it. Exit code 0 when a real hypervisor is usable, 1 when
only the fake (simulated) one is.

Options:
  --json   print the checks as JSON`,
    load: () => import('./doctor.js'),
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return `twinbox: run a second operating system beside the host and use its applications from a terminal.

Usage: twinbox <command> [options]

Commands:
${lines.join('\n')}

Options:
  --help, -h       show help (twinbox help <command> for one command)
  --version, -V    print the version
  --debug          show stack traces of errors

Environment:
  TWINBOX_HOME     keep all state and settings in this folder (default: XDG folders)

Exit codes: 0 ok, 1 failed, 2 usage or bad input, 3 verification failed,
            4 denied by policy or permission, 5 timed out, 75 busy (locked)
`;
}
