import { constants } from 'node:fs';
import { access } from 'node:fs/promises';

export type Accel = 'kvm' | 'tcg';

/** KVM is usable when this user may open /dev/kvm for reading and writing; otherwise TCG. */
export async function pickAccel(device = '/dev/kvm'): Promise<Accel> {
  try {
    await access(device, constants.R_OK | constants.W_OK);
    return 'kvm';
  } catch {
    return 'tcg';
  }
}

export function describeAccel(accel: Accel): string {
  return accel === 'kvm' ? 'kvm' : 'tcg (software emulation: slow)';
}
