import { checkVmId, type VmMetrics, type VmRef } from 'twinbox/plugin-api';
import { latest, parseMetricsQuery } from '../driver/metrics-query.js';
import { machineOf } from '../driver/names.js';
import { readVm, type VBoxContext } from '../provider.js';

/** The VM process's CPU load (user and kernel, % of the host's CPU) and its memory (kB). */
export const QUERIED = 'CPU/Load/User,CPU/Load/Kernel,RAM/Usage/Used';
/** What `metrics setup` collects: the base metrics of those. */
const COLLECTED = 'CPU/Load,RAM/Usage';
/** Seconds between VirtualBox's samples: the dashboard asks every 2 s. */
export const PERIOD_SECONDS = 2;
const RUNNING = new Set(['running', 'paused']);

/**
 * VirtualBox measures a running VM itself once `metrics setup` has asked it to (its manual:
 * nothing is collected until then, collection is for started VMs only, and a VM's settings
 * disappear when it shuts down). So a query that finds no samples sets collection up, and the
 * next ask, a period later, has figures. CPU is the hypervisor's own rate; memory is what the
 * VM process uses.
 */
export async function metrics(ctx: VBoxContext, vm: VmRef): Promise<VmMetrics | undefined> {
  checkVmId(vm.id);
  const { status } = await readVm(ctx, vm);
  if (!RUNNING.has(status.state)) return undefined;
  const machine = machineOf(vm);
  const queried = await ctx.driver.attempt(['metrics', 'query', machine, QUERIED]);
  const samples = queried.ok ? parseMetricsQuery(queried.stdout) : new Map<string, number[]>();
  const user = latest(samples, 'CPU/Load/User');
  const kernel = latest(samples, 'CPU/Load/Kernel');
  const usedKb = latest(samples, 'RAM/Usage/Used');
  if (user === undefined && kernel === undefined && usedKb === undefined) {
    await ctx.driver.attempt(['metrics', 'setup', '--period', String(PERIOD_SECONDS), '--samples', '1', machine, COLLECTED]);
    return { at: ctx.clock.now() };
  }
  return {
    at: ctx.clock.now(),
    ...(user !== undefined || kernel !== undefined ? { cpuPercent: Math.round(((user ?? 0) + (kernel ?? 0)) * 10) / 10 } : {}),
    ...(usedKb !== undefined ? { memoryBytes: usedKb * 1024 } : {}),
  };
}
