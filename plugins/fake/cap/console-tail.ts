import { resolve } from 'node:path';
import type { VmRef } from 'twinbox/plugin-api';
import { latestBootConsole } from '../driver/console-log.js';
import type { FakeContext } from '../provider.js';

/** What the guest printed since its latest boot, from the VM's console log. */
export function consoleTail(_context: FakeContext, vm: VmRef): Promise<string | undefined> {
  return latestBootConsole(resolve(vm.vmDir));
}
