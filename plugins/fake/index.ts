import { join } from 'node:path';
import { Tokens, type Clock, type CommandRunner, type PluginContainer, type PluginPaths } from 'twinbox/plugin-api';
import { FakeHypervisor } from './fake-hypervisor.js';
import { verifyGuestPassword } from './guest/commands/user-password.js';
import { VM_FILES } from './vm-record.js';

export { FakeHypervisor, type FakeHypervisorOptions } from './fake-hypervisor.js';
export { NO_FAULTS, type FakeFaults } from './faults.js';
export { DEFAULT_GUEST_ACCOUNTS } from './guest/commands/user-password.js';

/**
 * For tests: whether `candidate` is the password last set (through the guest agent's
 * guest-set-user-password) for `user` in this fake VM's guest, which keeps only a salted hash.
 */
export function verifyFakeGuestPassword(vm: { vmDir: string }, user: string, candidate: string): Promise<boolean> {
  return verifyGuestPassword(join(vm.vmDir, VM_FILES.root), user, candidate);
}

export function register(container: PluginContainer): void {
  container.register(Tokens.Hypervisor, {
    useFactory: (scope) =>
      new FakeHypervisor(
        scope.resolve<CommandRunner>(Tokens.CommandRunner),
        scope.resolve<PluginPaths>(Tokens.PluginPaths),
        scope.resolve<Clock>(Tokens.Clock),
      ),
  });
}
