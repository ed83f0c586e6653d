import type { VmStatus } from 'twinbox/plugin-api';
import { isGuestProcess } from './process-check.js';
import type { FakeVmRecord, StoredVmState } from './vm-record.js';
import { readRecord, updateRecord } from './vm-store.js';

/** States in which a guest process must exist. */
const LIVE_STATES: ReadonlySet<StoredVmState> = new Set(['starting', 'running', 'paused', 'stopping', 'suspending']);
/** start() writes `starting` a moment before it knows the pid; after this long without one, the starter died. */
const PID_GRACE_MS = 60_000;

export interface CurrentStatus {
  record?: FakeVmRecord;
  status: VmStatus;
}

function crashReason(record: FakeVmRecord): string | undefined {
  if (record.pid !== undefined) return `guest process ${record.pid} exited unexpectedly`;
  if (record.state === 'starting' && Date.now() - Date.parse(record.updatedAt) < PID_GRACE_MS) return undefined;
  return `the VM process vanished while ${record.state}`;
}

/**
 * The VM's state as stored, checked against reality: a VM whose guest process is gone (or
 * whose pid now belongs to another program) crashed, and the record is corrected so that
 * every reader agrees.
 */
export async function currentStatus(vmDir: string): Promise<CurrentStatus> {
  const record = await readRecord(vmDir);
  if (!record) return { status: { state: 'not-created', reason: `no fake VM in ${vmDir}` } };
  if (LIVE_STATES.has(record.state) && !(await isGuestProcess(record.pid, vmDir))) {
    const reason = crashReason(record);
    if (reason !== undefined) {
      const seen = { state: record.state, pid: record.pid };
      const updated = await updateRecord(vmDir, (current) => {
        // Someone changed it since we looked (a start or stop in progress): theirs is newer.
        if (current.state !== seen.state || current.pid !== seen.pid) return false;
        current.state = 'crashed';
        current.reason = reason;
        delete current.pid;
      });
      if (!updated) return { status: { state: 'not-created', reason: `no fake VM in ${vmDir}` } };
      if (updated.state !== 'crashed' || updated.reason !== reason) return currentStatus(vmDir);
      return { record: updated, status: { state: 'crashed', reason } };
    }
  }
  const status: VmStatus = { state: record.state, reason: record.reason };
  if (record.pid !== undefined && LIVE_STATES.has(record.state)) status.pid = record.pid;
  return { record, status };
}
