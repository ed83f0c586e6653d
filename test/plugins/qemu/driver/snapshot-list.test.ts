import test from 'ava';
import { parseSnapshotList } from '../../../../plugins/qemu/driver/snapshot-list.js';

test('qemu-img snapshot -l output is parsed, names with spaces included', (t) => {
  const output = [
    'Snapshot list:',
    'ID        TAG               VM SIZE                DATE     VM CLOCK     ICOUNT',
    '1         disk only             0 B 2026-11-23 23:45:48 00:00:00.000          0',
    '2         live one         71.5 MiB 2026-11-23 23:45:51 00:00:02.073           ',
    '3         twinbox-suspend   1.2 GiB 2026-11-24 08:00:00 01:02:03.456',
    '',
  ].join('\n');
  t.deepEqual(parseSnapshotList(output), [
    { id: '1', name: 'disk only', createdAt: '2026-11-23T23:45:48', sizeBytes: 0, vmStateBytes: 0 },
    { id: '2', name: 'live one', createdAt: '2026-11-23T23:45:51', sizeBytes: 74973184, vmStateBytes: 74973184 },
    { id: '3', name: 'twinbox-suspend', createdAt: '2026-11-24T08:00:00', sizeBytes: 1288490189, vmStateBytes: 1288490189 },
  ]);
});

test("HMP's info snapshots (CRLF, -- ids) parses the same way", (t) => {
  const output =
    'List of snapshots present on all disks:\r\nID        TAG               VM SIZE                DATE     VM CLOCK     ICOUNT\r\n--        live one         71.5 MiB 2026-11-23 23:45:51 00:00:02.073           \r\n';
  t.deepEqual(
    parseSnapshotList(output).map(({ id, name }) => ({ id, name })),
    [{ id: '--', name: 'live one' }],
  );
});

test('no snapshots: empty output or only headers', (t) => {
  t.deepEqual(parseSnapshotList(''), []);
  t.deepEqual(parseSnapshotList('There is no snapshot available.\r\n'), []);
  t.deepEqual(parseSnapshotList('Snapshot list:\nID        TAG               VM SIZE                DATE     VM CLOCK\n'), []);
});
