/** What differs between the hosts QEMU runs on: the system emulator's name and how to get it. */
export interface HostArch {
  /** Node's name for the architecture (`process.arch`). */
  nodeArch: string;
  /** `qemu-system-<qemuArch>`. */
  qemuArch: 'x86_64' | 'aarch64';
  systemBinary: string;
  installHint: string;
}

const IMG_HINT_PACKAGE = 'qemu-utils';

export function hostArch(nodeArch: string = process.arch): HostArch | undefined {
  if (nodeArch === 'x64') {
    return {
      nodeArch,
      qemuArch: 'x86_64',
      systemBinary: 'qemu-system-x86_64',
      installHint: `install qemu-system-x86 and ${IMG_HINT_PACKAGE} (apt-get install qemu-system-x86 ${IMG_HINT_PACKAGE})`,
    };
  }
  if (nodeArch === 'arm64') {
    return {
      nodeArch,
      qemuArch: 'aarch64',
      systemBinary: 'qemu-system-aarch64',
      installHint: `install qemu-system-arm and ${IMG_HINT_PACKAGE} (apt-get install qemu-system-arm ${IMG_HINT_PACKAGE})`,
    };
  }
  return undefined;
}
