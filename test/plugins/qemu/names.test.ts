import test from 'ava';
import type { VmSpec } from 'twinbox/plugin-api';
import { checkSnapshotName, hmpQuote } from '../../../plugins/qemu/actions/snapshots.js';
import { validateSpec } from '../../../plugins/qemu/driver/validate-spec.js';

const spec: VmSpec = {
  id: 'dev',
  image: { path: '/images/base.qcow2', format: 'qcow2', sizeBytes: 1 },
  vmDir: '/data/vms/dev',
  memoryMiB: 256,
  cpus: 1,
  network: 'none',
  channels: [],
};

test('snapshot names that qemu-img or HMP would misread are refused', (t) => {
  for (const name of ['before update', 'v1.2', 'état']) t.notThrows(() => checkSnapshotName(name), name);
  for (const name of ['', '-a', '42', '../escape', 'a/b', 'say "hi"', 'tab\there', 'x'.repeat(101), 'twinbox-suspend']) {
    t.throws(() => checkSnapshotName(name), { code: 'invalid-name' }, JSON.stringify(name));
  }
});

test('HMP arguments are quoted with escapes', (t) => {
  t.is(hmpQuote('live one'), '"live one"');
  t.is(hmpQuote('a\\b'), '"a\\\\b"');
});

test('specs are validated before anything is created', (t) => {
  t.notThrows(() => validateSpec(spec));
  t.notThrows(() => validateSpec({ ...spec, channels: ['org.example.files'], consoles: 2 }));
  t.throws(() => validateSpec({ ...spec, id: 'Bad_Name' }), { code: 'invalid-name' });
  t.throws(() => validateSpec({ ...spec, cpus: 0 }), { code: 'invalid-spec' });
  t.throws(() => validateSpec({ ...spec, memoryMiB: 1.5 }), { code: 'invalid-spec' });
  t.throws(() => validateSpec({ ...spec, channels: ['a,b'] }), { code: 'invalid-name' });
  t.throws(() => validateSpec({ ...spec, channels: ['console0'] }), { code: 'invalid-name' });
  t.throws(() => validateSpec({ ...spec, consoles: 40 }), { code: 'invalid-spec' });
});
