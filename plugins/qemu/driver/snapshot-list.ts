import type { SnapshotInfo } from 'twinbox/plugin-api';

export interface ListedSnapshot extends SnapshotInfo {
  id: string;
  /** Bytes of saved RAM; 0 for a disk-only snapshot. */
  vmStateBytes: number;
}

const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, PiB: 1024 ** 5 };

// ID, TAG (may contain spaces), VM SIZE ("0 B", "10.3 MiB"), DATE, VM CLOCK, ICOUNT (newer qemu).
const ROW = /^(\S+)\s+(.+?)\s+(\d+(?:\.\d+)?)\s?(B|KiB|MiB|GiB|TiB|PiB)\s+(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\s+(\S+)(?:\s+(\S+))?\s*$/;

/**
 * Parses the table `qemu-img snapshot -l` (and HMP `info snapshots`) prints:
 *
 *     Snapshot list:
 *     ID        TAG               VM SIZE                DATE     VM CLOCK     ICOUNT
 *     1         before-update     12.5 MiB 2026-11-23 23:34:43 00:00:05.120          0
 */
export function parseSnapshotList(output: string): ListedSnapshot[] {
  const snapshots: ListedSnapshot[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || /^Snapshot list:|^List of snapshots|^ID\s+TAG/.test(line)) continue;
    const match = ROW.exec(line);
    if (!match) continue;
    const [, id = '', name = '', amount = '0', unit = 'B', day = '', time = ''] = match;
    const vmStateBytes = Math.round(Number(amount) * (UNITS[unit] ?? 1));
    // qemu-img prints local time without a zone; keep it as such rather than guess one.
    snapshots.push({ id, name: name.trim(), createdAt: `${day}T${time}`, sizeBytes: vmStateBytes, vmStateBytes });
  }
  return snapshots;
}
