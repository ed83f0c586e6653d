import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import type { CommandRunner } from 'twinbox/plugin-api';

export type Accel = 'kvm' | 'tcg';

export interface AccelChoice {
  accel: Accel;
  /** Why software emulation was chosen. */
  whyNotKvm?: string;
}

/**
 * KVM is used when this user may open /dev/kvm for reading and writing and `works` confirms
 * that QEMU can run a vCPU with it: a nested host can expose a device whose vCPUs abort at
 * their first register write. Otherwise TCG.
 */
export async function pickAccel(device = '/dev/kvm', works: () => Promise<boolean> = async () => true): Promise<AccelChoice> {
  try {
    await access(device, constants.R_OK | constants.W_OK);
  } catch {
    return { accel: 'tcg', whyNotKvm: `${device} is not usable` };
  }
  return (await works()) ? { accel: 'kvm' } : { accel: 'tcg', whyNotKvm: `${device} is present but QEMU cannot run a vCPU with it` };
}

/**
 * Starts a paused machine with KVM and quits it through the monitor: exit 0 means KVM set up
 * a vCPU (about 50 ms). A broken KVM aborts QEMU or makes it fail to initialise the accelerator.
 */
export async function checkKvm(runner: CommandRunner, qemuSystem: string, qemuArch: 'x86_64' | 'aarch64'): Promise<boolean> {
  const machine = qemuArch === 'aarch64' ? ['-machine', 'virt'] : [];
  const result = await runner.run(qemuSystem, ['-accel', 'kvm', '-cpu', 'host', ...machine, '-nodefaults', '-display', 'none', '-S', '-monitor', 'stdio'], {
    input: 'quit\n',
    timeoutMs: 10_000,
    env: { LC_ALL: 'C' },
  });
  return result.exitCode === 0 && !result.timedOut;
}

/** Changes at every boot of the host; a KVM verdict is kept for one boot. */
export async function hostBootId(path = '/proc/sys/kernel/random/boot_id'): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return 'unknown';
  }
}

export function describeAccel(accel: Accel): string {
  return accel === 'kvm' ? 'kvm' : 'tcg (software emulation: slow)';
}
