import { join } from 'node:path';
import { registerHypervisor } from 'twinbox/plugin-api';
import { VM_FILES } from './driver/vm-record.js';
import { verifyGuestPassword } from './guest/commands/user-password.js';
import { FakeHypervisor } from './plugin.js';

export { FakeHypervisor } from './plugin.js';
export type { FakeHypervisorOptions } from './provider.js';
export { NO_FAULTS, type FakeFaults } from './driver/faults.js';
export { DEFAULT_GUEST_ACCOUNTS } from './guest/commands/user-password.js';

/**
 * For tests: whether `candidate` is the password last set (through the guest agent's
 * guest-set-user-password) for `user` in this fake VM's guest, which keeps only a salted hash.
 */
export function verifyFakeGuestPassword(vm: { vmDir: string }, user: string, candidate: string): Promise<boolean> {
  return verifyGuestPassword(join(vm.vmDir, VM_FILES.root), user, candidate);
}

export const register = registerHypervisor((services) => new FakeHypervisor(services.runner, services.paths, services.clock));
