import type { OperationOptions, VmRef } from 'twinbox/plugin-api';
import { qemuErrors } from '../driver/errors.js';
import { loadVm } from '../driver/load-vm.js';
import { removePidFile } from '../driver/process.js';
import { SUSPEND_SNAPSHOT } from '../driver/suspend-snapshot.js';
import { setLifecycle } from '../driver/vm-config.js';
import { inspectVm } from '../driver/vm-state.js';
import type { QemuDeps } from '../provider.js';
import { hmpSilent } from '../qmp/hmp.js';
import { withQmp } from '../qmp/qmp-connection.js';
import { forceOff } from './stop.js';

/** Saving RAM goes at disk speed; a few GiB can take minutes. */
const SAVE_TIMEOUT_MS = 10 * 60_000;

/**
 * Pause, save memory and device state as an internal snapshot of the overlay (so it
 * survives a host reboot), quit. The next start loads it (`-loadvm`) and deletes it.
 */
export async function suspend(deps: QemuDeps, vm: VmRef, options: OperationOptions = {}): Promise<void> {
  let config = await loadVm(deps, vm);
  const { status, verdict } = await inspectVm(deps, config);
  if (status.state === 'suspended' && verdict.kind !== 'ours') return;
  if ((status.state !== 'running' && status.state !== 'paused') || verdict.kind !== 'ours') {
    throw qemuErrors.invalidState(vm.id, status.state, 'suspend', 'only a running or paused VM can be suspended');
  }
  const wasRunning = status.state === 'running';
  config = await setLifecycle(config, 'suspending');
  options.onProgress?.({ message: 'saving memory to disk' });
  try {
    await withQmp(config.paths.qmpSocket, async (qmp) => {
      await qmp.execute('stop');
      await hmpSilent(qmp, `savevm ${SUSPEND_SNAPSHOT}`, SAVE_TIMEOUT_MS);
    });
  } catch (error) {
    config = await setLifecycle(config, 'running');
    if (wasRunning) await withQmp(config.paths.qmpSocket, (qmp) => qmp.execute('cont')).catch(() => undefined);
    throw qemuErrors.snapshotFailed(vm.id, 'save the VM state', error instanceof Error ? error.message : String(error));
  }
  // Recorded before quitting: from here on the saved state is what counts.
  config = await setLifecycle(config, 'suspended');
  await forceOff(deps, config, verdict.pid);
  await removePidFile(config.paths.pidFile);
  options.onProgress?.({ percent: 100, message: 'suspended' });
}
