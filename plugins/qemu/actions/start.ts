import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import type { StartOptions, VmRef } from 'twinbox/plugin-api';
import { clearForwards } from '../cap/forward-port.js';
import { buildArgv } from '../driver/argv.js';
import { qemuErrors, toolMessage } from '../driver/errors.js';
import { loadVm } from '../driver/load-vm.js';
import { removePidFile, readPidFile } from '../driver/process.js';
import { QemuImg } from '../driver/qemu-img.js';
import { SUSPEND_SNAPSHOT } from '../driver/suspend-snapshot.js';
import { setLifecycle, type QemuVmConfig } from '../driver/vm-config.js';
import { checkSocketPaths, socketPaths } from '../driver/vm-paths.js';
import { inspectVm, queryStatus } from '../driver/vm-state.js';
import { pollUntil } from '../driver/wait.js';
import type { QemuDeps } from '../provider.js';
import { hmpSilent } from '../qmp/hmp.js';
import { withQmp } from '../qmp/qmp-connection.js';
import { mapRunState } from '../qmp/run-state.js';

const DEFAULT_START_TIMEOUT_MS = 60_000;
const RUNNING_POLL_MS = 10;

export async function start(deps: QemuDeps, vm: VmRef, options: StartOptions = {}): Promise<void> {
  const config = await loadVm(deps, vm);
  const { status } = await inspectVm(deps, config);
  switch (status.state) {
    case 'running':
      return;
    case 'paused':
      await withQmp(config.paths.qmpSocket, (qmp) => qmp.execute('cont'));
      return;
    case 'stopped':
    case 'suspended':
      break;
    case 'crashed':
      if (status.pid !== undefined) {
        throw qemuErrors.invalidState(vm.id, status.state, 'start', `it is halted (${status.reason}); stop it with --force first`);
      }
      break;
    default:
      throw qemuErrors.invalidState(vm.id, status.state, 'start', 'wait for the current operation to finish, then try again');
  }
  await launch(deps, config, options);
}

async function launch(deps: QemuDeps, config: QemuVmConfig, options: StartOptions): Promise<void> {
  const host = await deps.detector.require();
  const { paths, spec } = config;
  checkSocketPaths(paths);
  await mkdir(paths.runDir, { recursive: true, mode: 0o700 });
  // Leftovers of a killed QEMU: its pid file would mislead, its sockets are dead.
  await removePidFile(paths.pidFile);
  await Promise.all(socketPaths(paths).map((path) => rm(path, { force: true })));
  // Port forwards belong to the QEMU process that had them; a new one starts with none.
  await clearForwards(paths);
  await rename(paths.consoleLog, paths.previousConsoleLog).catch(() => undefined);

  const restoring = config.lifecycle === 'suspended';
  // A saved state only loads into the same machine, so a restore reuses the saved argv.
  const machine =
    restoring && config.argv.length > 1
      ? config.argv.slice(1)
      : buildArgv({ spec, paths, qemuArch: host.arch.qemuArch, accel: host.accel, firmware: host.firmware });
  const args = restoring ? [...machine, '-loadvm', SUSPEND_SNAPSHOT] : machine;
  const timeoutMs = options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  deps.logger.debug('starting qemu', { id: spec.id, argv: [host.qemuSystem, ...args] });

  // With -daemonize the first process exits once the VM is set up, so its exit code and
  // stderr are the start's outcome.
  const result = await deps.runner.run(host.qemuSystem, args, { timeoutMs, signal: options.signal, env: { LC_ALL: 'C' } });
  if (result.exitCode !== 0 || result.timedOut) {
    const reason = result.timedOut ? `qemu did not finish starting within ${Math.round(timeoutMs / 1000)} s` : toolMessage(result.stderr, `qemu exited with code ${result.exitCode}`);
    if (restoring) {
      await discardSavedState(deps, host.qemuImg, config);
      throw qemuErrors.restoreFailed(spec.id, reason);
    }
    throw qemuErrors.startFailed(spec.id, reason, paths.consoleLog, { stderr: result.stderr });
  }
  // QEMU makes its sockets and pid file with twinbox's umask; the folder is private, and so are they.
  await Promise.all([...socketPaths(paths), paths.pidFile].map((path) => chmod(path, 0o600).catch(() => undefined)));
  const pid = await readPidFile(paths.pidFile);
  const running = await setLifecycle(config, 'running', { argv: [host.qemuSystem, ...machine], lastPid: pid });

  await waitUntilRunning(deps, running, timeoutMs);
  if (restoring) {
    // The state is restored; keeping the snapshot would only cost disk space.
    try {
      await withQmp(paths.qmpSocket, (qmp) => hmpSilent(qmp, `delvm ${SUSPEND_SNAPSHOT}`, 60_000));
    } catch (error) {
      deps.logger.warn('could not delete the saved state after restoring it', { id: spec.id, error: String(error) });
    }
  }
}

async function waitUntilRunning(deps: QemuDeps, config: QemuVmConfig, timeoutMs: number): Promise<void> {
  let last: string | undefined;
  const ok = await pollUntil(deps, timeoutMs, async () => {
    try {
      last = await queryStatus(config.paths.qmpSocket);
    } catch {
      return false;
    }
    const mapped = last ? mapRunState(last) : undefined;
    if (mapped?.state === 'crashed') throw qemuErrors.startFailed(config.spec.id, mapped.reason, config.paths.consoleLog);
    return mapped?.state === 'running';
    // QEMU turns from prelaunch to running moments after -daemonize returns: a coarse poll
    // would add its whole interval to every start.
  }, RUNNING_POLL_MS);
  if (!ok) throw qemuErrors.startTimeout(config.spec.id, timeoutMs, config.paths.consoleLog);
}

/** A saved state that cannot be loaded is dropped, so the next start boots afresh. */
export async function discardSavedState(deps: QemuDeps, qemuImgBinary: string, config: QemuVmConfig): Promise<QemuVmConfig> {
  try {
    await new QemuImg(deps.runner, qemuImgBinary).snapshot('-d', SUSPEND_SNAPSHOT, config.paths.overlay);
  } catch (error) {
    deps.logger.warn('could not delete the saved state', { id: config.spec.id, error: String(error) });
  }
  return setLifecycle(config, 'stopped');
}
