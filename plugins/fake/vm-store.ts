import { readFile } from 'node:fs/promises';
import { TwinboxError, withFileLock, writeFileAtomic } from 'twinbox/plugin-api';
import { normalizeFaults } from './faults.js';
import { vmFile, type FakeVmRecord } from './vm-record.js';

/** Record updates are a read, a small change and a rename: a holder never keeps it long. */
const RECORD_LOCK_TIMEOUT_MS = 5_000;

/** A record too damaged to use: said plainly, with the way out, not as "unexpected error". */
export function recordDamaged(file: string, problem: string): TwinboxError {
  return new TwinboxError('vm-record-damaged', `the fake VM record ${file} is damaged: ${problem}`, {
    hint: 'this VM cannot be used any more: `twinbox uninstall NAME --force` removes the workspace and what is left of it',
    details: { file, problem },
  });
}

function parseRecord(text: string, file: string): FakeVmRecord {
  let record: FakeVmRecord;
  try {
    record = JSON.parse(text) as FakeVmRecord;
  } catch (error) {
    throw recordDamaged(file, `not JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof record !== 'object' || record === null || typeof record.id !== 'string' || typeof record.spec !== 'object' || record.spec === null) {
    throw recordDamaged(file, 'not a VM record (no id or spec)');
  }
  record.faults = normalizeFaults(record.faults);
  record.snapshots = Array.isArray(record.snapshots) ? record.snapshots : [];
  return record;
}

/** The VM's record, or undefined when the VM does not exist (its folder or file is gone). */
export async function readRecord(vmDir: string): Promise<FakeVmRecord | undefined> {
  let text: string;
  try {
    text = await readFile(vmFile(vmDir, 'record'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      return undefined;
    }
    throw error;
  }
  return parseRecord(text, vmFile(vmDir, 'record'));
}

export async function writeRecord(vmDir: string, record: FakeVmRecord): Promise<void> {
  record.updatedAt = new Date().toISOString();
  await writeFileAtomic(vmFile(vmDir, 'record'), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Read-modify-write under the record lock, so that the plugin and the guest process (which
 * both write the record) never lose each other's changes. `change` returns false to leave
 * the file untouched. Resolves with the record as stored, or undefined when there is none.
 */
export async function updateRecord(
  vmDir: string,
  change: (record: FakeVmRecord) => boolean | void,
): Promise<FakeVmRecord | undefined> {
  try {
    return await withFileLock(vmFile(vmDir, 'recordLock'), 'record update', async () => {
      const record = await readRecord(vmDir);
      if (!record) return undefined;
      if (change(record) === false) return record;
      await writeRecord(vmDir, record);
      return record;
    }, { waitMs: RECORD_LOCK_TIMEOUT_MS, pollMs: 10, createDir: false });
  } catch (error) {
    // No folder to put the lock in: no VM either.
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ENOENT' || code === 'ENOTDIR') && (error as NodeJS.ErrnoException).path === vmFile(vmDir, 'recordLock')) {
      return undefined;
    }
    throw error;
  }
}
