import { fakeErrors } from './errors.js';

const VM_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** Snapshot names become folder names: no separators, no dot-files, nothing to escape. */
const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkVmId(id: string): void {
  if (!VM_ID.test(id)) throw fakeErrors.invalidName('VM', id, 'lowercase letters, digits and dashes, 1–40 characters');
}

export function checkSnapshotName(name: string): void {
  if (!SNAPSHOT_NAME.test(name)) {
    throw fakeErrors.invalidName('snapshot', name, 'letters, digits, dots, dashes and underscores, 1–64 characters, starting with a letter or digit');
  }
}
