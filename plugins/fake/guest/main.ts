/**
 * The fake VM: one detached process per running VM, started by FakeHypervisor.start() as
 * `node main.js <vmDir> <socketPath>`. It outlives the CLI like a daemonized QEMU, keeps its
 * state in the VM's record and serves the QEMU guest agent protocol on the socket. Its stdout
 * and stderr are the VM's console log.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CONSOLE_PORTS } from '../driver/console-paths.js';
import { NO_FAULTS } from '../driver/faults.js';
import { VM_FILES } from '../driver/vm-record.js';
import { readRecord, updateRecord } from '../driver/vm-store.js';
import { startAgentServer, type AgentServer } from './agent-server.js';
import { GuestExec } from './commands/exec.js';
import { GuestFiles } from './commands/files.js';
import { AGENT_VERSION, systemCommands } from './commands/system.js';
import { userPasswordCommands } from './commands/user-password.js';
import { startConsolePorts } from './console-ports.js';
import { findProgram } from './find-program.js';

/** How often the guest checks that its VM still exists, so a deleted VM leaves no process behind. */
const WATCHDOG_MS = 1_000;

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

async function main(): Promise<void> {
  const [vmDir, socketPath] = process.argv.slice(2);
  if (!vmDir || !socketPath) {
    process.stderr.write('usage: main.js <vmDir> <socketPath>\n');
    process.exit(2);
  }
  process.umask(0o077);
  const record = await readRecord(vmDir);
  if (!record) {
    process.stderr.write(`no VM in ${vmDir}\n`);
    process.exit(2);
  }
  log(`booting ${record.id}`);
  if (record.faults.startFailure) {
    // Like a hypervisor that cannot open the disk: the process dies before the VM runs and
    // leaves the plugin to notice and report it.
    process.stderr.write(`start failed: ${record.faults.startFailure}\n`);
    process.exit(1);
  }
  await updateRecord(vmDir, (current) => {
    current.pid = process.pid;
  });
  if (record.faults.bootDelayMs > 0) await sleep(record.faults.bootDelayMs);

  const root = join(vmDir, VM_FILES.root);
  // Looked for once per boot: a socat installed later serves the VM's next boot.
  const consoles = await startConsolePorts({
    root,
    agentSocketPath: socketPath,
    ports: record.spec.consoles ?? DEFAULT_CONSOLE_PORTS,
    socat: await findProgram('socat'),
    log,
  });
  const exec = new GuestExec(root, consoles);
  const files = new GuestFiles(root);
  let server: AgentServer | undefined;
  let halting = false;

  const halt = async (reason: string, options: { delayMs?: number; record?: boolean } = {}): Promise<void> => {
    if (halting) return;
    halting = true;
    log(`halting: ${reason}`);
    if (options.delayMs) await sleep(options.delayMs);
    exec.killAll();
    await consoles.close();
    await files.closeAll();
    await server?.close();
    if (options.record !== false) {
      await updateRecord(vmDir, (current) => {
        if (current.pid !== process.pid) return false;
        current.state = 'stopped';
        current.reason = reason;
        delete current.pid;
        delete current.socketPath;
      }).catch(() => undefined);
    }
    process.exit(0);
  };

  server = await startAgentServer({
    socketPath,
    version: AGENT_VERSION,
    commands: { ...systemCommands(root), ...exec.commands(), ...files.commands(), ...userPasswordCommands(root) },
    faults: async () => (await readRecord(vmDir))?.faults ?? NO_FAULTS,
    onShutdown: (mode) => {
      void (async () => {
        const faults = (await readRecord(vmDir))?.faults ?? NO_FAULTS;
        await halt(mode === 'reboot' ? 'shut down by the guest (reboot requested)' : 'shut down by the guest', {
          delayMs: faults.slowStopMs,
        });
      })();
    },
  });
  log(`guest agent listening on ${socketPath}`);

  const running = await updateRecord(vmDir, (current) => {
    if (current.pid !== process.pid) return false;
    current.state = 'running';
    current.reason = current.restoring ? 'restored from saved state' : 'booted';
    current.socketPath = socketPath;
    current.consoles = consoles.unavailable === undefined ? { ports: consoles.offered } : { ports: 0, unavailable: consoles.unavailable };
    delete current.restoring;
    delete current.savedState;
  });
  if (!running || running.pid !== process.pid) {
    await halt('another process took over the VM', { record: false });
    return;
  }
  log('running');

  if (record.faults.crashAfterMs !== undefined) {
    setTimeout(() => {
      log('simulated crash');
      exec.killAll();
      consoles.kill();
      process.exit(1);
    }, record.faults.crashAfterMs);
  }
  setInterval(() => {
    if (!existsSync(join(vmDir, VM_FILES.record))) void halt('the VM was deleted', { record: false });
  }, WATCHDOG_MS).unref();
  // The host's power button: an ACPI shutdown request.
  process.on('SIGTERM', () => void halt('powered off by the host'));
  process.on('SIGINT', () => void halt('powered off by the host'));
}

main().catch((error: unknown) => {
  process.stderr.write(`guest failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
