import type { VmMetrics, VmRef } from 'twinbox/plugin-api';
import { state, type HyperVContext } from '../provider.js';

/**
 * Hyper-V measures a running VM itself: `Get-VM`'s CPUUsage (percent of the host's
 * processors) and MemoryAssigned (bytes), which the state read already carries.
 */
export async function metrics(ctx: HyperVContext, vm: VmRef): Promise<VmMetrics | undefined> {
  const status = await state(ctx, vm);
  if (status.state !== 'running' && status.state !== 'paused') return undefined;
  return {
    at: ctx.clock.now(),
    ...(status.cpuPercent !== undefined ? { cpuPercent: status.cpuPercent } : {}),
    ...(status.memoryBytes !== undefined ? { memoryBytes: status.memoryBytes } : {}),
  };
}
