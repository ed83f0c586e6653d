import type { ExecutionContext } from 'ava';
import { startWorkspace } from '../../../src/core/workspace/start-workspace.js';
import { stopWorkspace } from '../../../src/core/workspace/stop-workspace.js';
import { testHome, type TestHome } from '../../core/workspace/helpers/installed-workspace.js';

/**
 * A workspace "office" on the fake hypervisor with these guest files, installed, set up and
 * stopped: whatever a test launches must start it on demand.
 */
export async function stoppedOffice(t: ExecutionContext, files: Record<string, string>): Promise<TestHome> {
  const h = testHome(t);
  await h.install({ name: 'office', files });
  await startWorkspace(h.core(), 'office');
  await stopWorkspace(h.core(), 'office', { timeoutMs: 10_000 });
  return h;
}
