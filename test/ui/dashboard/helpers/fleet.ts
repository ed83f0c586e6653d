import type { ExecutionContext } from 'ava';
import { runSetup } from '../../../../src/core/setup/setup-workspace.js';
import { testHome, type TestHome } from '../../../core/workspace/helpers/installed-workspace.js';

/**
 * A home with `office` set up and running on the fake hypervisor (three published apps) and
 * `lab` installed but never set up. Every VM is removed when the test ends.
 */
export async function fleet(t: ExecutionContext, options: { attendedLab?: boolean } = {}): Promise<TestHome> {
  const home = testHome(t);
  await home.install({ name: 'office' });
  await home.install({ name: 'lab', manifest: options.attendedLab ? { setup: { mode: 'attended' } } : {} });
  await runSetup(home.core(), 'office');
  return home;
}
