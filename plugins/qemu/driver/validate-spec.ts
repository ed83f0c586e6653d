import { isAbsolute } from 'node:path';
import { checkSpecLimits, DISK_FORMATS, NAME_PATTERN, SHARE_TAG_PATTERN, type SpecLimits, type VmSpec } from 'twinbox/plugin-api';
import { qemuErrors } from './errors.js';
import { consoleIndex } from './vm-paths.js';

/** virtio-serial port names: printable, and no commas (QEMU's option separator). */
const CHANNEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** What one QEMU VM may have; its channels are counted with its consoles below. */
export const QEMU_LIMITS: SpecLimits = { cpus: 255, memoryMiB: { min: 16 } };

/** Shared folders one VM exports (each a PCI device; the manifest allows as many). */
export const MAX_SHARED_FOLDERS = 32;

function validateSharedFolders(spec: VmSpec): void {
  const folders = spec.sharedFolders ?? [];
  if (folders.length > MAX_SHARED_FOLDERS) throw qemuErrors.invalidSpec(`a VM shares at most ${MAX_SHARED_FOLDERS} folders, not ${folders.length}`);
  const tags = new Set<string>();
  for (const folder of folders) {
    if (!SHARE_TAG_PATTERN.test(folder.tag)) {
      throw qemuErrors.invalidName('mount tag', folder.tag, 'letters, digits, dashes and underscores, at most 31 bytes');
    }
    if (tags.has(folder.tag)) throw qemuErrors.invalidSpec(`two shared folders have the mount tag ${folder.tag}`);
    tags.add(folder.tag);
    if (!isAbsolute(folder.hostPath) || folder.hostPath.includes('\0')) throw qemuErrors.invalidSpec(`a shared folder's host path must be absolute: ${folder.hostPath}`);
  }
}

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
  validateSharedFolders(spec);
  if (spec.channels.length + 1 + consoles > MAX_PORTS) {
    throw qemuErrors.invalidSpec(`a VM has room for ${MAX_PORTS} channels and consoles together, not ${spec.channels.length + 1 + consoles}`);
  }
}
