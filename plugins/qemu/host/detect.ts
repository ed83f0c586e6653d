import { access } from 'node:fs/promises';
import type { Availability, CommandRunner } from 'twinbox/plugin-api';
import { qemuErrors } from '../driver/errors.js';
import { hostArch, type HostArch } from './host-arch.js';
import { checkKvm, describeAccel, hostBootId, pickAccel, type Accel, type AccelChoice } from './kvm.js';
import { VersionCache } from './version-cache.js';

/** The programs and acceleration a VM is started with. */
export interface QemuHost {
  arch: HostArch;
  qemuSystem: string;
  qemuImg: string;
  accel: Accel;
  /** UEFI firmware for aarch64 guests (they have no BIOS), where a package installed one. */
  firmware?: string;
}

const AARCH64_FIRMWARE = ['/usr/share/qemu-efi-aarch64/QEMU_EFI.fd', '/usr/share/AAVMF/AAVMF_CODE.fd', '/opt/homebrew/share/qemu/edk2-aarch64-code.fd'];

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      await access(path);
      return path;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

export interface QemuDetectorOptions {
  runner: CommandRunner;
  cacheDir: string;
  nodeArch?: string;
  kvmDevice?: string;
  /** Identifies this boot of the host, for how long a KVM check holds (read from /proc by default). */
  bootId?: string;
}

/** Finds qemu on this host; cheap enough to run for every `twinbox plugins`. */
export class QemuDetector {
  private readonly versions: VersionCache;

  constructor(private readonly options: QemuDetectorOptions) {
    this.versions = new VersionCache(options.runner, options.cacheDir);
  }

  async detect(): Promise<Availability> {
    const arch = hostArch(this.options.nodeArch);
    if (!arch) {
      return { usable: false, reason: `QEMU support for ${this.options.nodeArch ?? process.arch} hosts is not built in (x64 and arm64 are)` };
    }
    const [qemuSystem, qemuImg] = await Promise.all([this.options.runner.which(arch.systemBinary), this.options.runner.which('qemu-img')]);
    const missing = [qemuSystem ? undefined : arch.systemBinary, qemuImg ? undefined : 'qemu-img'].filter((name): name is string => !!name);
    if (!qemuSystem || !qemuImg) {
      return { usable: false, reason: `${missing.join(' and ')} not found: ${arch.installHint}` };
    }
    const [version, imgVersion, { accel, whyNotKvm }] = await Promise.all([
      this.versions.version(qemuSystem),
      this.versions.version(qemuImg),
      this.accel(qemuSystem, arch),
    ]);
    const label = version ? `QEMU ${version}` : 'QEMU';
    return {
      usable: true,
      reason: accel === 'kvm' ? `${label} with KVM` : `${label} without KVM (${whyNotKvm}): guests run slowly`,
      version,
      details: {
        accel: describeAccel(accel),
        qemuSystem,
        qemuImg,
        ...(imgVersion && imgVersion !== version ? { qemuImgVersion: imgVersion } : {}),
      },
    };
  }

  /** The host for an operation that needs qemu; throws with the install hint when it is missing. */
  async require(): Promise<QemuHost> {
    const arch = hostArch(this.options.nodeArch);
    if (!arch) throw qemuErrors.qemuMissing(`qemu-system for ${process.arch}`, 'run twinbox on an x64 or arm64 host');
    const [qemuSystem, qemuImg] = await Promise.all([this.options.runner.which(arch.systemBinary), this.options.runner.which('qemu-img')]);
    if (!qemuSystem) throw qemuErrors.qemuMissing(arch.systemBinary, arch.installHint);
    if (!qemuImg) throw qemuErrors.qemuMissing('qemu-img', arch.installHint);
    const { accel } = await this.accel(qemuSystem, arch);
    const firmware = arch.qemuArch === 'aarch64' ? await firstExisting(AARCH64_FIRMWARE) : undefined;
    return { arch, qemuSystem, qemuImg, accel, ...(firmware ? { firmware } : {}) };
  }

  private accel(qemuSystem: string, arch: HostArch): Promise<AccelChoice> {
    return pickAccel(this.options.kvmDevice, async () => {
      const bootId = this.options.bootId ?? (await hostBootId());
      return (await this.versions.kvmWorks(qemuSystem, bootId, () => checkKvm(this.options.runner, qemuSystem, arch.qemuArch))) ?? false;
    });
  }

  /** qemu-img alone (importing images needs no system emulator). */
  async requireImg(): Promise<string> {
    const qemuImg = await this.options.runner.which('qemu-img');
    if (!qemuImg) throw qemuErrors.qemuMissing('qemu-img', hostArch(this.options.nodeArch)?.installHint ?? 'install qemu-utils');
    return qemuImg;
  }
}
