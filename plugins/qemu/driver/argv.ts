import type { DiskFormat, VmSpec } from 'twinbox/plugin-api';
import type { Accel } from '../host/kvm.js';
import { consoleChannelName, type VmPaths } from './vm-paths.js';

export interface ArgvOptions {
  spec: VmSpec;
  paths: VmPaths;
  qemuArch: 'x86_64' | 'aarch64';
  accel: Accel;
  /** Restore this internal snapshot (saved state) at start. */
  loadvm?: string;
  /** UEFI firmware for aarch64 guests, which have no BIOS. */
  firmware?: string;
  /** Bridge for `network: 'bridged'` (needs qemu-bridge-helper set up for it). */
  bridge?: string;
}

/** In QEMU's option syntax a comma separates options; a literal one is doubled. */
export function optionValue(value: string): string {
  return value.replaceAll(',', ',,');
}

/** qemu-img and -drive call the VHD format "vpc". */
export function qemuFormatName(format: DiskFormat): string {
  return format === 'vhd' ? 'vpc' : format;
}

function socketChardev(id: string, path: string): string[] {
  return ['-chardev', `socket,id=${id},path=${optionValue(path)},server=on,wait=off`];
}

/**
 * Each shared folder as a virtio-9p export the guest mounts by its tag. security_model=none:
 * the guest's files are plain files on the host, owned by the user QEMU runs as, with the
 * modes the guest gave them, so the user's own programs read and change them as usual; the
 * guest cannot change their owner or make device or setuid files on the host (QEMU runs as
 * the user). mapped-xattr would keep the guest's owners and modes in user.virtfs.* extended
 * attributes and leave the host files 0600, and fails on filesystems without user xattrs.
 */
function sharedFolderArgs(spec: VmSpec): string[] {
  return (spec.sharedFolders ?? []).flatMap((folder, index) => [
    '-fsdev', `local,id=fs${index},path=${optionValue(folder.hostPath)},security_model=none${folder.readOnly ? ',readonly=on' : ''}`,
    '-device', `virtio-9p-pci,fsdev=fs${index},mount_tag=${folder.tag}`,
  ]);
}

function networkArgs(spec: VmSpec, bridge: string): string[] {
  const nic = ['-device', 'virtio-net-pci,netdev=net0'];
  switch (spec.network) {
    case 'nat':
      return ['-netdev', 'user,id=net0', ...nic];
    case 'bridged':
      return ['-netdev', `bridge,id=net0,br=${optionValue(bridge)}`, ...nic];
    case 'none':
      return [];
  }
}

/**
 * The QEMU command line of a VM (without the program). Nothing implicit: -nodefaults, no
 * display, a monitor (QMP) socket, the guest's first serial port logged to a file, the disk
 * as a virtio overlay and every channel as a named virtio-serial port. It daemonizes, so the
 * VM outlives twinbox; the pid file and QMP socket are how a later twinbox finds it.
 */
export function buildArgv(options: ArgvOptions): string[] {
  const { spec, paths, qemuArch, accel } = options;
  const x86 = qemuArch === 'x86_64';
  const argv: string[] = [
    '-name', `twinbox-${spec.id},process=twinbox-${spec.id}`,
    '-machine', x86 ? 'q35' : 'virt',
    '-accel', accel,
    ...(accel === 'kvm' ? ['-cpu', 'host'] : x86 ? [] : ['-cpu', 'max']),
    '-smp', String(spec.cpus),
    '-m', String(spec.memoryMiB),
    '-nodefaults',
    '-no-user-config',
    '-display', 'none',
    '-daemonize',
    '-pidfile', paths.pidFile,
    ...socketChardev('qmp', paths.qmpSocket),
    '-mon', 'chardev=qmp,mode=control',
    '-chardev', `file,id=serial0,path=${optionValue(paths.consoleLog)}`,
    '-serial', 'chardev:serial0',
    '-drive', `file=${optionValue(paths.overlay)},if=virtio,format=qcow2,discard=unmap`,
    '-device', 'virtio-serial-pci,id=vser0',
  ];
  Object.entries(paths.channels).forEach(([name, socket], index) => {
    argv.push(...socketChardev(`ch${index}`, socket), '-device', `virtserialport,bus=vser0.0,chardev=ch${index},name=${name}`);
  });
  paths.consoles.forEach((socket, index) => {
    argv.push(...socketChardev(`con${index}`, socket), '-device', `virtconsole,bus=vser0.0,chardev=con${index},name=${consoleChannelName(index)}`);
  });
  // A screen for graphical apps: a VGA card whose picture a VNC server offers on an owner-only unix socket, never on a TCP port.
  if (paths.vncSocket) argv.push('-device', x86 ? 'VGA' : 'virtio-gpu-pci', '-vnc', `unix:${optionValue(paths.vncSocket)}`);
  argv.push(...sharedFolderArgs(spec));
  argv.push(...networkArgs(spec, options.bridge ?? 'br0'));
  // A guest panic pauses the VM (state `crashed`, kept for inspection) instead of exiting.
  argv.push('-device', x86 ? 'pvpanic' : 'pvpanic-pci', '-action', 'panic=pause');
  if (spec.guestOs === 'windows') argv.push('-rtc', 'base=localtime');
  if (!x86 && options.firmware) argv.push('-bios', options.firmware);
  if (options.loadvm) argv.push('-loadvm', options.loadvm);
  return argv;
}
