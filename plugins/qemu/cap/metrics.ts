import { runningProcessMetrics, type VmMetrics, type VmRef } from 'twinbox/plugin-api';
import { state } from '../provider.js';

/**
 * A QEMU VM is one host process (every vCPU a thread of it): its CPU time and resident memory
 * from /proc, found through the pid the state check trusts (its pid file, checked against the
 * process's command line). Asked of a VM that is not running: nothing.
 */
export async function metrics(deps: Parameters<typeof state>[0], vm: VmRef): Promise<VmMetrics | undefined> {
  return runningProcessMetrics(await state(deps, vm), deps.clock.now());
}
