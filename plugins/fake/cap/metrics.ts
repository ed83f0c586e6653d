import { readProcessMetrics, type VmMetrics, type VmRef } from 'twinbox/plugin-api';
import { state, type FakeContext } from '../provider.js';

/**
 * The simulated guest is a real process of this host (guest/main.js): its own CPU time and
 * resident memory from /proc, so tests of the figures see real, moving numbers.
 */
export async function metrics(context: FakeContext, vm: VmRef): Promise<VmMetrics | undefined> {
  const status = await state(context, vm);
  if (status.pid === undefined || !['running', 'paused', 'starting'].includes(status.state)) return undefined;
  return readProcessMetrics(status.pid, context.clock.now());
}
