/**
 * Numbered points between the writes and renames of every path that changes state (install,
 * upgrade, overwrite, setup, uninstall, reset, snapshots, policy refresh, app catalog and host
 * integration writes), where a test can make twinbox die as a power cut would (SIGKILL: no
 * cleanup, no finally). Honoured only under TWINBOX_TEST=1, with TWINBOX_TEST_CRASH_AT naming
 * the point; the first time the process reaches it, it dies. The part before the colon names
 * the path. The test walks every point of this list, kills the process there and checks that
 * the next run finds the state whole (test/commands/crash-points.test.ts): a point added here
 * is walked without changing the test, and one on a path the test does not know fails it.
 */
export const CRASH_POINTS = [
  /** 1: registry.json written, the workspace's own copy of its entry not yet (install's last write; the first registry write of any command). */
  'registry:written',
  /** 2: the workspace's own copy written too. */
  'registry:record-written',
  /** 3: uninstall marked the entry as being uninstalled. */
  'uninstall:marked',
  /** 4: uninstall removed the VM. */
  'uninstall:vm-removed',
  /** 5: uninstall removed the package from the store. */
  'uninstall:store-removed',
  /** 6: uninstall removed the registry entry. */
  'uninstall:entry-removed',
  /** 7: uninstall removed the workspace folder. */
  'uninstall:folder-removed',
  /** 8: install unpacked and verified the package into its staging folder inside the store. */
  'install:staged',
  /** 9: install renamed the staging folder into `<store>/<name>/<version>`; no registry entry refers to it yet. */
  'install:store-renamed',
  /** 10: install wrote the registry entry and removed store folders nobody needs any more. */
  'install:committed',
  /** 11: `install --overwrite` renamed the installed version's folder aside (trash), the new one not in place yet. */
  'overwrite:moved-aside',
  /** 12: setup recorded itself as running in the registry. */
  'setup:running',
  /** 13: setup journaled its first step as done. */
  'setup:step-journaled',
  /** 14: setup wrote the app catalog (apps.json). */
  'setup:catalog-written',
  /** 15: setup recorded the workspace as ready, its status record not yet written. */
  'setup:ready',
  /** 16: setup wrote its status record. */
  'setup:status-written',
  /** 17: an upgrade's setup removed the old version's VM; the new VM is not in the registry yet. */
  'upgrade:old-vm-removed',
  /** 18: an upgrade removed the old version from the store; the entry still says `replacing`. */
  'upgrade:old-version-removed',
  /** 19: an upgrade cleared `replacing`: the upgrade is complete. */
  'upgrade:completed',
  /** 20: reset removed the VM. */
  'reset:vm-removed',
  /** 21: reset discarded the setup journal. */
  'reset:journal-discarded',
  /** 22: reset removed the app catalog and status record. */
  'reset:records-removed',
  /** 23: reset set the entry's setup back to pending (setup runs next). */
  'reset:entry-pending',
  /** 24: the hypervisor took a snapshot; the event log does not say so yet. */
  'snapshot:taken',
  /** 25: a restore stopped the running VM; the snapshot is not restored yet. */
  'snapshot:restore-stopped',
  /** 26: the hypervisor restored the snapshot. */
  'snapshot:restored',
  /** 27: the hypervisor deleted the snapshot. */
  'snapshot:deleted',
  /** 28: a policy refresh found a changed policy file; the last good cache is not rewritten yet. */
  'policy:last-good-changed',
  /** 29: the last good cache (policy-last-good.json) rewritten. */
  'policy:last-good-written',
  /** 30: `apps --refresh` wrote the new app catalog; the host integration has not followed. */
  'publish:catalog-refreshed',
  /** 31: `publish --shims` wrote its first host file (shim or menu entry); its record not yet. */
  'publish:shim-written',
  /** 32: `publish --shims` wrote its record of the files it made (host-integration.json). */
  'publish:record-written',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

/**
 * With `TWINBOX_TEST=1` only: `TWINBOX_TEST_CRASH_AT=POINT` kills the process there (SIGKILL, as
 * a power cut); `TWINBOX_TEST_PAUSE_AT=POINT` stops it there (SIGSTOP) until the test sends
 * SIGCONT, so a test can act while an operation is half done and holds its locks — a race
 * made certain instead of hoped for.
 */
export function crashPoint(point: CrashPoint): void {
  if (process.env.TWINBOX_TEST !== '1') return;
  if (process.env.TWINBOX_TEST_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
  if (process.env.TWINBOX_TEST_PAUSE_AT === point) process.kill(process.pid, 'SIGSTOP');
}
