import type { VmMetrics } from '../../plugin-api/index.js';
import { withTimeout } from '../with-timeout.js';
import type { Workspace } from './open-workspace.js';

/** A plugin that takes longer than this to say what a VM uses is not waited for. */
const METRICS_TIMEOUT_MS = 5_000;

/**
 * What the workspace's running VM uses on the host now, where its hypervisor plugin has the
 * `metrics` capability (plugin API 1.3): undefined for a VM that is not created or not running,
 * a plugin without the capability, and one that fails or does not answer in time (a reading is
 * never worth an error: the figures are shown as "-").
 */
export async function readVmMetrics(ws: Workspace): Promise<VmMetrics | undefined> {
  const { vm, hypervisor: name } = ws.entry();
  if (!vm || !name) return undefined;
  try {
    const hypervisor = await ws.core.plugins.hypervisor(name);
    if (!hypervisor.metrics) return undefined;
    return await withTimeout(hypervisor.metrics(vm), METRICS_TIMEOUT_MS, `${name} did not report the VM's figures within ${METRICS_TIMEOUT_MS / 1000} s`);
  } catch {
    return undefined;
  }
}
