import test from 'ava';
import { isTwinboxError, type VmSpec } from 'twinbox/plugin-api';
import { buildArgv } from '../../../plugins/qemu/driver/argv.js';
import { validateSpec } from '../../../plugins/qemu/driver/validate-spec.js';
import { vmPaths } from '../../../plugins/qemu/driver/vm-paths.js';
import { createQemuHypervisor } from '../../../plugins/qemu/index.js';
import { quietLogger } from './helpers/real-qemu.js';
import { ScriptedRunner } from './helpers/scripted-runner.js';

const base: VmSpec = {
  id: 'docs',
  image: { path: '/images/base.qcow2', format: 'qcow2', sizeBytes: 1 },
  vmDir: '/data/vms/docs',
  memoryMiB: 256,
  cpus: 1,
  network: 'none',
  channels: ['org.qemu.guest_agent.0'],
};

function after(argv: string[], flag: string): string[] {
  return argv.flatMap((value, index) => (argv[index - 1] === flag ? [value] : []));
}

function argv(spec: VmSpec): string[] {
  return buildArgv({ spec, paths: vmPaths(spec, '/run/tb'), qemuArch: 'x86_64', accel: 'tcg' });
}

test('each shared folder is a 9p export (security_model=none) with a virtio-9p device carrying its tag', (t) => {
  const spec: VmSpec = {
    ...base,
    sharedFolders: [
      { hostPath: '/home/ann/Documents', tag: 'tbx0-documents', readOnly: false },
      { hostPath: '/srv/manuals', tag: 'tbx1-manuals', readOnly: true },
    ],
  };
  const line = argv(spec);
  t.deepEqual(after(line, '-fsdev'), [
    'local,id=fs0,path=/home/ann/Documents,security_model=none',
    'local,id=fs1,path=/srv/manuals,security_model=none,readonly=on',
  ]);
  const devices = after(line, '-device').filter((device) => device.startsWith('virtio-9p-pci'));
  t.deepEqual(devices, ['virtio-9p-pci,fsdev=fs0,mount_tag=tbx0-documents', 'virtio-9p-pci,fsdev=fs1,mount_tag=tbx1-manuals']);
});

test('a comma in a host path is doubled, as QEMU option values need', (t) => {
  const line = argv({ ...base, sharedFolders: [{ hostPath: '/home/ann/a,b', tag: 'tbx0-ab', readOnly: false }] });
  t.deepEqual(after(line, '-fsdev'), ['local,id=fs0,path=/home/ann/a,,b,security_model=none']);
});

test('a VM without shared folders has no 9p device', (t) => {
  const line = argv(base);
  t.deepEqual(after(line, '-fsdev'), []);
  t.false(after(line, '-device').some((device) => device.startsWith('virtio-9p')));
});

test('mount tags are checked: pattern, 31 bytes at most, unique; host paths absolute', (t) => {
  const bad = (sharedFolders: VmSpec['sharedFolders'], pattern: RegExp) => {
    const error = t.throws(() => validateSpec({ ...base, sharedFolders }));
    t.true(isTwinboxError(error));
    t.regex(error!.message, pattern);
  };
  bad([{ hostPath: '/a', tag: 'has,comma', readOnly: false }], /mount tag/);
  bad([{ hostPath: '/a', tag: 'x'.repeat(32), readOnly: false }], /mount tag/);
  bad([{ hostPath: '/a', tag: '', readOnly: false }], /mount tag/);
  bad([{ hostPath: '/a', tag: 'same', readOnly: false }, { hostPath: '/b', tag: 'same', readOnly: false }], /two shared folders have the mount tag same/);
  bad([{ hostPath: 'relative/dir', tag: 'tbx0-dir', readOnly: false }], /must be absolute/);
  t.notThrows(() => validateSpec({ ...base, sharedFolders: [{ hostPath: '/a', tag: 'x'.repeat(31), readOnly: true }] }));
});

test('the QEMU plugin declares 9p as its way of sharing folders', (t) => {
  const plugin = createQemuHypervisor({ runner: new ScriptedRunner(), paths: { dataDir: '/d', runtimeDir: '/r', cacheDir: '/c' }, clock: { now: () => 0, sleep: async () => undefined }, logger: quietLogger });
  t.deepEqual(plugin.folderSharing.ways, ['9p']);
  t.regex(plugin.folderSharing.note ?? '', /9pnet_virtio/);
});
