import test from 'ava';
import type { VmSpec } from 'twinbox/plugin-api';
import { buildArgv, optionValue, qemuFormatName } from '../../../../plugins/qemu/driver/argv.js';
import { vmPaths } from '../../../../plugins/qemu/driver/vm-paths.js';

const spec: VmSpec = {
  id: 'dev',
  image: { path: '/images/base.qcow2', format: 'qcow2', sizeBytes: 1 },
  vmDir: '/data/vms/dev',
  memoryMiB: 512,
  cpus: 2,
  network: 'nat',
  channels: ['org.example.files'],
  consoles: 2,
};
const paths = vmPaths(spec, '/run/tb');

function after(argv: string[], flag: string): string[] {
  return argv.flatMap((value, index) => (argv[index - 1] === flag ? [value] : []));
}

test('the command line daemonizes with a pid file, a QMP socket and a serial log', (t) => {
  const argv = buildArgv({ spec, paths, qemuArch: 'x86_64', accel: 'tcg' });
  t.true(argv.includes('-daemonize'));
  t.true(argv.includes('-nodefaults'));
  t.deepEqual(after(argv, '-pidfile'), ['/run/tb/dev/qemu.pid']);
  t.deepEqual(after(argv, '-accel'), ['tcg']);
  t.deepEqual(after(argv, '-m'), ['512']);
  t.deepEqual(after(argv, '-smp'), ['2']);
  t.deepEqual(after(argv, '-mon'), ['chardev=qmp,mode=control']);
  t.true(after(argv, '-chardev').includes('socket,id=qmp,path=/run/tb/dev/qmp.sock,server=on,wait=off'));
  t.true(after(argv, '-chardev').includes('file,id=serial0,path=/data/vms/dev/console.log'));
  t.deepEqual(after(argv, '-drive'), ['file=/data/vms/dev/disk.qcow2,if=virtio,format=qcow2,discard=unmap']);
  t.false(argv.includes('-cpu'), 'TCG on x86 keeps the default CPU model');
  t.false(argv.includes('-loadvm'));
});

test('every channel is a named virtio-serial port and every console a virtconsole', (t) => {
  const devices = after(buildArgv({ spec, paths, qemuArch: 'x86_64', accel: 'tcg' }), '-device');
  t.deepEqual(
    devices.filter((device) => device.startsWith('virtserialport') || device.startsWith('virtconsole')),
    [
      'virtserialport,bus=vser0.0,chardev=ch0,name=org.qemu.guest_agent.0',
      'virtserialport,bus=vser0.0,chardev=ch1,name=org.example.files',
      'virtconsole,bus=vser0.0,chardev=con0,name=console0',
      'virtconsole,bus=vser0.0,chardev=con1,name=console1',
    ],
  );
  t.true(devices.includes('virtio-net-pci,netdev=net0'));
  t.true(devices.includes('pvpanic'));
});

test('KVM uses the host CPU; network none adds no NIC; a restore adds -loadvm', (t) => {
  const argv = buildArgv({ spec: { ...spec, network: 'none' }, paths, qemuArch: 'x86_64', accel: 'kvm', loadvm: 'twinbox-suspend' });
  t.deepEqual(after(argv, '-cpu'), ['host']);
  t.false(argv.includes('-netdev'));
  t.deepEqual(argv.slice(-2), ['-loadvm', 'twinbox-suspend']);
});

test('bridged networking names the bridge; Windows guests keep local time; aarch64 uses virt', (t) => {
  const argv = buildArgv({ spec: { ...spec, network: 'bridged', guestOs: 'windows' }, paths, qemuArch: 'aarch64', accel: 'tcg', firmware: '/fw.fd', bridge: 'br1' });
  t.deepEqual(after(argv, '-netdev'), ['bridge,id=net0,br=br1']);
  t.deepEqual(after(argv, '-rtc'), ['base=localtime']);
  t.deepEqual(after(argv, '-machine'), ['virt']);
  t.deepEqual(after(argv, '-cpu'), ['max']);
  t.deepEqual(after(argv, '-bios'), ['/fw.fd']);
  t.true(after(argv, '-device').includes('pvpanic-pci'));
});

test('commas in paths are doubled, as QEMU option syntax requires', (t) => {
  t.is(optionValue('/a,b/c'), '/a,,b/c');
  const odd = vmPaths({ ...spec, vmDir: '/data/x,y' }, '/run/tb');
  const drive = after(buildArgv({ spec, paths: odd, qemuArch: 'x86_64', accel: 'tcg' }), '-drive')[0];
  t.is(drive, 'file=/data/x,,y/disk.qcow2,if=virtio,format=qcow2,discard=unmap');
});

test('qemu calls the VHD format vpc', (t) => {
  t.is(qemuFormatName('vhd'), 'vpc');
  t.is(qemuFormatName('vhdx'), 'vhdx');
  t.is(qemuFormatName('raw'), 'raw');
});

test('a VM with display "vnc" gets a VGA card shown by VNC on a unix socket, never a TCP port; others have no screen', (t) => {
  const shown = { ...spec, display: 'vnc' as const };
  const shownPaths = vmPaths(shown, '/run/tb');
  t.is(shownPaths.vncSocket, '/run/tb/dev/vnc.sock');
  const argv = buildArgv({ spec: shown, paths: shownPaths, qemuArch: 'x86_64', accel: 'tcg' });
  t.deepEqual(after(argv, '-vnc'), ['unix:/run/tb/dev/vnc.sock']);
  t.true(after(argv, '-device').includes('VGA'));
  t.deepEqual(after(argv, '-display'), ['none'], 'no window on the host: the screen is for viewers');
  const plain = buildArgv({ spec, paths, qemuArch: 'x86_64', accel: 'tcg' });
  t.false(plain.includes('-vnc'));
  t.false(after(plain, '-device').includes('VGA'));
  t.is(paths.vncSocket, undefined);
});
