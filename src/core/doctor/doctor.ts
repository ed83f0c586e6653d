import { constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import { arch } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from '../../plugin-api/index.js';
import type { TwinboxPaths } from '../paths.js';
import type { PluginReport } from '../plugins/plugin-registry.js';
import { findFreeRdp, FREERDP_INSTALL_HINT, FREERDP_PROGRAMS } from '../apps/freerdp-client.js';
import { guestOsLabel, type GuestOs } from '../workspace/guest-os.js';

export type CheckStatus = 'ok' | 'missing' | 'warning';

export interface DoctorCheck {
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do about it, when status is not ok. */
  fix?: string;
}

export interface DoctorReport {
  checks: DoctorCheck[];
  plugins: PluginReport[];
  /** Usable hypervisors that run real guests. */
  realHypervisors: string[];
}

const QEMU_SYSTEM: Record<string, string> = { x64: 'qemu-system-x86_64', arm64: 'qemu-system-aarch64' };
/** Longest socket name a plugin appends to the runtime folder (e.g. "qemu/<40-char id>/qga.sock"). */
const SOCKET_SUFFIX_BUDGET = 60;
const UNIX_SOCKET_PATH_MAX = 107;

async function accessible(path: string, mode: number): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

async function toolCheck(runner: CommandRunner, check: string, programs: string[], fix: string): Promise<DoctorCheck> {
  for (const program of programs) {
    const path = await runner.which(program);
    if (path) return { check, status: 'ok', detail: path };
  }
  return { check, status: 'missing', detail: `${programs.join(' / ')} not found on PATH`, fix };
}

/**
 * An accessible /dev/kvm, confirmed by the QEMU plugin where it is loaded: it checks that QEMU
 * can run a vCPU with it (a nested host can expose a device whose vCPUs abort).
 */
export function kvmCheck(plugins: PluginReport[]): DoctorCheck {
  const accel = plugins.find((plugin) => plugin.name === 'qemu' && plugin.status === 'loaded')?.details?.accel;
  if (accel !== undefined && accel !== 'kvm') {
    return {
      check: 'kvm',
      status: 'warning',
      detail: '/dev/kvm is present, but QEMU cannot run a vCPU with it: QEMU falls back to software emulation (TCG), which is slow',
      fix: 'on a nested host, enable nested virtualization for this VM (or fix the host kernel\'s KVM); then reboot or reload kvm',
    };
  }
  return { check: 'kvm', status: 'ok', detail: '/dev/kvm is usable: hardware acceleration' };
}

/** FreeRDP opens the GUI apps of packages whose guest offers RDP as windows on this desktop; without it they use the VM's screen. */
async function freeRdpCheck(runner: CommandRunner): Promise<DoctorCheck> {
  const client = await findFreeRdp(runner, { x11Display: true });
  if (client) return { check: 'freerdp', status: 'ok', detail: `${client.path} (FreeRDP ${client.version}): GUI apps open through RDP RemoteApp where the guest offers it` };
  // xfreerdp 2 answers --version only with a display ("failed to open display", exit 1): on a
  // terminal without one it is installed all the same, and windows open from a desktop session.
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    for (const program of FREERDP_PROGRAMS) {
      const path = await runner.which(program);
      if (path) return { check: 'freerdp', status: 'ok', detail: `${path} (version shown only with a display): GUI apps open through RDP RemoteApp from a desktop session` };
    }
  }
  return {
    check: 'freerdp',
    status: 'warning',
    detail: `${FREERDP_PROGRAMS.join(' / ')} not found on PATH: GUI apps open on the VM's screen only, never as RemoteApp windows`,
    fix: FREERDP_INSTALL_HINT,
  };
}

/** What this machine offers twinbox, each missing piece with its fix. */
export async function runDoctor(runner: CommandRunner, paths: TwinboxPaths, plugins: PluginReport[]): Promise<DoctorReport> {
  const qemuSystem = QEMU_SYSTEM[arch()] ?? `qemu-system-${arch()}`;
  const kvmUsable = await accessible('/dev/kvm', fsConstants.R_OK | fsConstants.W_OK);
  const checks: DoctorCheck[] = [
    await toolCheck(runner, 'qemu-system', [qemuSystem], 'install QEMU: apt-get install qemu-system-x86 (Debian/Ubuntu), dnf install qemu-kvm (Fedora), brew install qemu (macOS)'),
    await toolCheck(runner, 'qemu-img', ['qemu-img'], 'install qemu-utils: apt-get install qemu-utils (Debian/Ubuntu)'),
    kvmUsable
      ? kvmCheck(plugins)
      : {
          check: 'kvm',
          status: 'warning',
          detail: 'no usable /dev/kvm: QEMU falls back to software emulation (TCG), which is slow',
          fix: 'enable virtualization in the firmware, load kvm_intel or kvm_amd, and add yourself to the kvm group',
        },
    await toolCheck(runner, 'virtualbox', ['VBoxManage', 'VBoxManage.exe'], 'install VirtualBox 7 from virtualbox.org and make sure VBoxManage is on PATH'),
    await toolCheck(runner, 'hyper-v', ['powershell.exe', 'pwsh'], 'Hyper-V needs Windows (or WSL) with the Hyper-V feature enabled and PowerShell'),
    await freeRdpCheck(runner),
  ];

  const writable = await accessible(paths.dataDir, fsConstants.W_OK);
  checks.push(
    writable
      ? { check: 'state folder', status: 'ok', detail: paths.dataDir }
      : { check: 'state folder', status: 'missing', detail: `${paths.dataDir} is not writable`, fix: 'fix its permissions or set TWINBOX_HOME to a writable folder' },
  );
  const socketRoom = UNIX_SOCKET_PATH_MAX - join(paths.runtimeDir, 'x').length + 1;
  checks.push(
    socketRoom >= SOCKET_SUFFIX_BUDGET
      ? { check: 'runtime folder', status: 'ok', detail: `${paths.runtimeDir} (room for ${socketRoom}-byte socket names)` }
      : {
          check: 'runtime folder',
          status: 'warning',
          detail: `${paths.runtimeDir} leaves only ${socketRoom} bytes for socket names (unix sockets are limited to 107)`,
          fix: 'set XDG_RUNTIME_DIR to a short folder such as /run/user/$UID',
        },
  );

  for (const plugin of plugins) {
    const check = `plugin ${plugin.name}`;
    // A simulated plugin's name usually says so already ("fake (simulated)"): say it once.
    const label = plugin.simulated && !/simulated/i.test(plugin.displayName) ? ' (simulated)' : '';
    if (plugin.status === 'loaded') checks.push({ check, status: 'ok', detail: `${plugin.displayName}${label}: ${plugin.reason}` });
    else if (plugin.status === 'unavailable') checks.push({ check, status: 'missing', detail: `${plugin.displayName}: ${plugin.reason}` });
    else checks.push({ check, status: 'warning', detail: `broken: ${plugin.reason}`, fix: `fix or remove the plugin in ${plugin.dir}` });
  }
  const realHypervisors = plugins.filter((p) => p.kind === 'hypervisor' && p.status === 'loaded' && !p.simulated).map((p) => p.name);
  return { checks, plugins, realHypervisors };
}

/**
 * One line per installed workspace: the guest OS its agent last reported (at setup or start),
 * so an admin sees what each VM runs without starting it.
 */
export function workspaceChecks(workspaces: ReadonlyArray<{ name: string; guestOs?: GuestOs }>): DoctorCheck[] {
  return workspaces.map(({ name, guestOs }) =>
    guestOs
      ? { check: `workspace ${name}`, status: 'ok', detail: `guest: ${guestOsLabel(guestOs)}${guestOs.kernelRelease ? `, kernel ${guestOs.kernelRelease}` : ''} (its agent said so ${guestOs.seenAt.slice(0, 10)})` }
      : { check: `workspace ${name}`, status: 'ok', detail: 'guest OS not known yet: its agent has not answered since it was installed' },
  );
}
