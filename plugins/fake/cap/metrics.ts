import { runningProcessMetrics, type VmMetrics, type VmRef } from 'twinbox/plugin-api';
import { state, type FakeContext } from '../provider.js';

/**
 * The simulated guest is a real process of this host (guest/main.js): its own CPU time and
 * resident memory from /proc, so tests of the figures see real, moving numbers.
 */
export async function metrics(context: FakeContext, vm: VmRef): Promise<VmMetrics | undefined> {
  return runningProcessMetrics(await state(context, vm), context.clock.now());
}
