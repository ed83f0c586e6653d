import type { StopOptions, StopResult, VmRef } from 'twinbox/plugin-api';
import { qemuErrors } from '../driver/errors.js';
import { loadVm } from '../driver/load-vm.js';
import { removePidFile } from '../driver/process.js';
import { setLifecycle, type QemuVmConfig } from '../driver/vm-config.js';
import { inspectVm } from '../driver/vm-state.js';
import { waitForExit } from '../driver/wait.js';
import type { QemuDeps } from '../provider.js';
import { withQmp } from '../qmp/qmp-connection.js';
import { discardSavedState } from './start.js';

const DEFAULT_GRACEFUL_MS = 30_000;
/**
 * A press before the guest's ACPI driver (or acpid) is up is lost, as on real hardware: a
 * VM stopped right after it started would otherwise sit out the whole timeout.
 */
const REPRESS_MS = 3_000;
const QUIT_WAIT_MS = 5_000;
const KILL_WAIT_MS = 5_000;

/**
 * Graceful: ACPI power button, wait for the guest to power off. Then (or at once with
 * `force`) QMP quit, then SIGKILL, each step bounded.
 */
export async function stop(deps: QemuDeps, vm: VmRef, options: StopOptions = {}): Promise<StopResult> {
  let config = await loadVm(deps, vm);
  const { status, verdict } = await inspectVm(deps, config);
  if (verdict.kind !== 'ours') {
    await removePidFile(config.paths.pidFile);
    if (config.lifecycle === 'suspended') {
      // Forcing a suspended VM off throws its saved memory away; otherwise it stays saved.
      if (options.force) await discardSavedState(deps, (await deps.detector.require()).qemuImg, config);
    } else if (config.lifecycle !== 'stopped' && config.lifecycle !== 'created') {
      await setLifecycle(config, 'stopped');
    }
    return { how: 'already-stopped' };
  }
  const pid = verdict.pid;
  config = await setLifecycle(config, 'stopping');

  const haltedByError = status.state === 'crashed';
  if (!options.force && !haltedByError) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_GRACEFUL_MS;
    if (await pressPowerButton(deps, config, pid, status.state === 'paused', timeoutMs)) {
      await finish(config);
      return { how: 'graceful' };
    }
    deps.logger.info('the guest did not power off in time; forcing it off', { id: vm.id, timeoutMs });
  }
  await forceOff(deps, config, pid);
  await finish(config);
  return { how: 'forced' };
}

/** True when the guest powered off within the time. */
async function pressPowerButton(deps: QemuDeps, config: QemuVmConfig, pid: number, paused: boolean, timeoutMs: number): Promise<boolean> {
  const deadline = deps.clock.now() + timeoutMs;
  let resume = paused;
  for (;;) {
    try {
      await withQmp(config.paths.qmpSocket, async (qmp) => {
        // A paused guest cannot see the power button.
        if (resume) await qmp.execute('cont');
        await qmp.execute('system_powerdown');
      });
      resume = false;
    } catch (error) {
      // The monitor may be gone because the guest is powering off already.
      deps.logger.debug('could not press the power button', { id: config.spec.id, error: String(error) });
    }
    const left = deadline - deps.clock.now();
    if (left <= 0) return !(await deps.probe(pid)).alive;
    if (await waitForExit(deps, pid, Math.min(REPRESS_MS, left))) return true;
  }
}

export async function forceOff(deps: QemuDeps, config: QemuVmConfig, pid: number): Promise<void> {
  try {
    await withQmp(config.paths.qmpSocket, (qmp) => qmp.execute('quit').catch(() => undefined), QUIT_WAIT_MS);
  } catch {
    // a monitor that does not answer is what SIGKILL is for
  }
  if (await waitForExit(deps, pid, QUIT_WAIT_MS)) return;
  try {
    deps.kill(pid, 'SIGKILL');
  } catch {
    // it exited in between
  }
  if (!(await waitForExit(deps, pid, KILL_WAIT_MS))) throw qemuErrors.timeout(`killing qemu process ${pid}`, KILL_WAIT_MS);
}

async function finish(config: QemuVmConfig): Promise<void> {
  // A killed QEMU leaves its pid file behind; a stop by twinbox must not look like a crash.
  await removePidFile(config.paths.pidFile);
  await setLifecycle(config, 'stopped');
}
