import type { VmState } from 'twinbox/plugin-api';

export interface MappedState {
  state: VmState;
  reason: string;
}

/**
 * QEMU's run states (`query-status`) onto twinbox's vocabulary. Error states keep the VM
 * process alive for inspection, but to a user the machine has crashed.
 */
export function mapRunState(status: string): MappedState {
  switch (status) {
    case 'running':
      return { state: 'running', reason: 'running' };
    case 'paused':
      return { state: 'paused', reason: 'paused (vCPUs stopped)' };
    case 'postmigrate':
      return { state: 'paused', reason: 'paused after a migration' };
    case 'debug':
      return { state: 'paused', reason: 'stopped by a debugger' };
    case 'shutdown':
      return { state: 'stopping', reason: 'the guest shut down; qemu is exiting' };
    case 'suspended':
      return { state: 'suspended', reason: 'the guest is sleeping (ACPI suspend to RAM)' };
    case 'save-vm':
    case 'finish-migrate':
      return { state: 'suspending', reason: 'saving the VM state' };
    case 'restore-vm':
      return { state: 'starting', reason: 'restoring the saved VM state' };
    case 'inmigrate':
      return { state: 'starting', reason: 'waiting for an incoming migration' };
    case 'prelaunch':
      return { state: 'starting', reason: 'starting' };
    case 'internal-error':
      return { state: 'crashed', reason: 'qemu hit an internal error (emulation failure); the VM is halted' };
    case 'io-error':
      return { state: 'crashed', reason: 'a disk I/O error halted the VM (is the host disk full?)' };
    case 'guest-panicked':
      return { state: 'crashed', reason: 'the guest kernel panicked' };
    case 'watchdog':
      return { state: 'crashed', reason: "the guest's watchdog fired" };
    case 'colo':
      return { state: 'running', reason: 'running (COLO fault tolerance)' };
    default:
      return { state: 'unknown', reason: `qemu reports an unknown run state "${status}"` };
  }
}

/** Pulls `status` out of a `query-status` answer. */
export function statusOf(reply: unknown): string | undefined {
  if (typeof reply !== 'object' || reply === null) return undefined;
  const status = (reply as { status?: unknown }).status;
  return typeof status === 'string' ? status : undefined;
}
