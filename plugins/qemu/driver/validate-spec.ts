import { checkSpecLimits, DISK_FORMATS, NAME_PATTERN, type SpecLimits, type VmSpec } from 'twinbox/plugin-api';
import { qemuErrors } from './errors.js';
import { consoleIndex } from './vm-paths.js';

/** virtio-serial port names: printable, and no commas (QEMU's option separator). */
const CHANNEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** What one QEMU VM may have; its channels are counted with its consoles below. */
export const QEMU_LIMITS: SpecLimits = { cpus: 255, memoryMiB: { min: 16 } };

/** One virtio-serial bus carries 31 ports. */
export const MAX_PORTS = 31;

export function validateSpec(spec: VmSpec): void {
  if (!NAME_PATTERN.test(spec.id)) {
    throw qemuErrors.invalidName('VM', spec.id, 'lowercase letters, digits and dashes, starting with a letter (1–40 characters)');
  }
  checkSpecLimits(spec, QEMU_LIMITS, 'QEMU');
  if (!DISK_FORMATS.includes(spec.image.format)) throw qemuErrors.unsupportedFormat(spec.image.format);
  const consoles = spec.consoles ?? 0;
  if (!Number.isInteger(consoles) || consoles < 0) throw qemuErrors.invalidSpec(`consoles must be a whole number, not ${consoles}`);
  for (const name of spec.channels) {
    if (!CHANNEL_NAME.test(name)) {
      throw qemuErrors.invalidName('channel', name, 'letters, digits, dots, dashes, underscores and colons (no commas)');
    }
    if (consoleIndex(name) !== undefined) {
      throw qemuErrors.invalidName('channel', name, 'a name other than consoleN (those name the console ports)');
    }
  }
  if (spec.channels.length + 1 + consoles > MAX_PORTS) {
    throw qemuErrors.invalidSpec(`a VM has room for ${MAX_PORTS} channels and consoles together, not ${spec.channels.length + 1 + consoles}`);
  }
}
