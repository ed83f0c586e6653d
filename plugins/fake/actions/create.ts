import { mkdir, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OperationOptions, VmRef, VmSpec } from 'twinbox/plugin-api';
import { fakeErrors } from '../driver/errors.js';
import { NO_FAULTS } from '../driver/faults.js';
import { seedGuestRoot } from '../driver/guest-root.js';
import { checkVmId } from '../driver/names.js';
import { extractTarImage, isTarArchive } from '../driver/tar-image.js';
import { vmFile, type FakeVmRecord } from '../driver/vm-record.js';
import { writeRecord } from '../driver/vm-store.js';
import type { FakeContext } from '../provider.js';
import { pathExists } from 'twinbox/plugin-api';


/**
 * A linked clone: the guest filesystem is unpacked from the base once, into the VM's own
 * folder, and the base is never written to again.
 */
export async function create(context: FakeContext, spec: VmSpec, options: OperationOptions = {}): Promise<VmRef> {
  options.onProgress?.({ message: 'creating the guest filesystem' });
  checkVmId(spec.id);
  const vmDir = resolve(spec.vmDir);
  if (await pathExists(vmFile(vmDir, 'record'))) throw fakeErrors.vmExists(spec.id, vmDir);
  try {
    if (!(await stat(spec.image.path)).isFile()) throw new Error('not a file');
  } catch {
    throw fakeErrors.imageNotFound(spec.image.path);
  }
  await mkdir(vmDir, { recursive: true, mode: 0o700 });
  const root = vmFile(vmDir, 'root');
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { mode: 0o755 });
  try {
    if (await isTarArchive(spec.image.path)) await extractTarImage(context.runner, spec.image.path, root);
    await seedGuestRoot(root, spec.id);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const now = new Date(context.clock.now()).toISOString();
  const record: FakeVmRecord = {
    format: 1,
    id: spec.id,
    spec: { ...spec, vmDir },
    state: 'stopped',
    reason: 'created',
    faults: { ...NO_FAULTS },
    snapshots: [],
    createdAt: now,
    updatedAt: now,
  };
  await writeRecord(vmDir, record);
  await context.index.set(spec.id, vmDir);
  return { id: spec.id, vmDir };
}
