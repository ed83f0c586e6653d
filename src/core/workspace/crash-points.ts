/**
 * Numbered points between the writes of the install and uninstall paths, where a test can make
 * twinbox die as a power cut would (SIGKILL: no cleanup, no finally). Honoured only under
 * TWINBOX_TEST=1, with TWINBOX_TEST_CRASH_AT naming the point. The test walks every point and
 * checks that the next run finds the state whole (test/commands/crash-points.test.ts).
 */
export const CRASH_POINTS = [
  /** 1: registry.json written, the workspace's own copy of its entry not yet (install's last write). */
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
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

export function crashPoint(point: CrashPoint): void {
  if (process.env.TWINBOX_TEST !== '1' || process.env.TWINBOX_TEST_CRASH_AT !== point) return;
  process.kill(process.pid, 'SIGKILL');
}
