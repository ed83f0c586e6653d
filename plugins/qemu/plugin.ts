import type { Duplex } from 'node:stream';
import {
  readConsoleTail,
  type Availability,
  type ForwardedPort,
  type HypervisorCapabilities,
  type HypervisorPlugin,
  type ImportedImage,
  type ImportImageRequest,
  type OperationOptions,
  type SnapshotInfo,
  type StartOptions,
  type StopOptions,
  type StopResult,
  type VmRef,
  type VmSpec,
  type VmDisplay,
  type VmStatus,
} from 'twinbox/plugin-api';
import type { QemuDeps } from './deps.js';
import { importImage } from './image/import-image.js';
import { QemuImg } from './image/qemu-img.js';
import { openChannel } from './lifecycle/channels.js';
import { createVm } from './lifecycle/create.js';
import { forwardPort } from './lifecycle/forward-port.js';
import { findVm } from './lifecycle/load-vm.js';
import { pauseVm, resumeVm } from './lifecycle/pause-resume.js';
import { removeVm } from './lifecycle/remove.js';
import * as snapshots from './lifecycle/snapshots.js';
import { startVm } from './lifecycle/start.js';
import { inspectVm } from './lifecycle/state.js';
import { stopVm } from './lifecycle/stop.js';
import { suspendVm } from './lifecycle/suspend.js';

const CAPABILITIES: HypervisorCapabilities = {
  linkedClones: true,
  suspend: true,
  pause: true,
  snapshots: true,
  channels: true,
  importFormats: ['qcow2', 'raw', 'vhd', 'vhdx', 'vdi', 'vmdk'],
  // A qcow2 overlay can have a base of any format qemu reads.
  createFormats: ['qcow2', 'raw', 'vhd', 'vhdx', 'vdi', 'vmdk'],
};

/** QEMU as a twinbox hypervisor: daemonized VMs driven through QMP, disks through qemu-img. */
export class QemuHypervisor implements HypervisorPlugin {
  readonly kind = 'hypervisor';
  readonly name = 'qemu';
  readonly displayName = 'QEMU';
  readonly simulated = false;

  constructor(private readonly deps: QemuDeps) {}

  detect(): Promise<Availability> {
    return this.deps.detector.detect();
  }

  capabilities(): HypervisorCapabilities {
    return CAPABILITIES;
  }

  async importImage(request: ImportImageRequest, options?: OperationOptions): Promise<ImportedImage> {
    const binary = await this.deps.detector.requireImg();
    return importImage(this.deps.runner, binary, new QemuImg(this.deps.runner, binary), request, options);
  }

  create(spec: VmSpec, options?: OperationOptions): Promise<VmRef> {
    return createVm(this.deps, spec, options);
  }

  start(vm: VmRef, options?: StartOptions): Promise<void> {
    return startVm(this.deps, vm, options);
  }

  stop(vm: VmRef, options?: StopOptions): Promise<StopResult> {
    return stopVm(this.deps, vm, options);
  }

  pause(vm: VmRef): Promise<void> {
    return pauseVm(this.deps, vm);
  }

  suspend(vm: VmRef, options?: OperationOptions): Promise<void> {
    return suspendVm(this.deps, vm, options);
  }

  resume(vm: VmRef, options?: OperationOptions): Promise<void> {
    return resumeVm(this.deps, vm, options);
  }

  async state(vm: VmRef): Promise<VmStatus> {
    const config = await findVm(this.deps, vm);
    if (!config) return { state: 'not-created', reason: 'no such VM' };
    return (await inspectVm(this.deps, config)).status;
  }

  listSnapshots(vm: VmRef): Promise<SnapshotInfo[]> {
    return snapshots.listSnapshots(this.deps, vm);
  }

  createSnapshot(vm: VmRef, name: string): Promise<void> {
    return snapshots.createSnapshot(this.deps, vm, name);
  }

  restoreSnapshot(vm: VmRef, name: string): Promise<void> {
    return snapshots.restoreSnapshot(this.deps, vm, name);
  }

  deleteSnapshot(vm: VmRef, name: string): Promise<void> {
    return snapshots.deleteSnapshot(this.deps, vm, name);
  }

  remove(vm: VmRef): Promise<void> {
    return removeVm(this.deps, vm);
  }

  openChannel(vm: VmRef, name: string): Promise<Duplex> {
    return openChannel(this.deps, vm, name);
  }

  /** A VM made with display "vnc" shows its screen over VNC on a unix socket while it runs. */
  async display(vm: VmRef): Promise<VmDisplay | undefined> {
    const config = await findVm(this.deps, vm);
    const socket = config?.paths.vncSocket;
    if (!config || !socket || (await inspectVm(this.deps, config)).status.state !== 'running') return undefined;
    return { protocol: 'vnc', address: socket, viewer: `remote-viewer vnc+unix://${socket}` };
  }

  /** Network "nat": a 127.0.0.1 port QEMU forwards to the guest port, added once per run. */
  forwardPort(vm: VmRef, guestPort: number): Promise<ForwardedPort | undefined> {
    return forwardPort(this.deps, vm, guestPort);
  }

  /** The serial console is written to a file from boot on; each start begins a new one. */
  async consoleTail(vm: VmRef): Promise<string | undefined> {
    const config = await findVm(this.deps, vm);
    return config ? readConsoleTail(config.paths.consoleLog) : undefined;
  }
}
