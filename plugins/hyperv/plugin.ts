import type { Duplex } from 'node:stream';
import {
  DISK_FORMATS,
  TwinboxError,
  type Availability,
  type Clock,
  type CommandRunner,
  type ForwardedPort,
  type HypervisorCapabilities,
  type HypervisorPlugin,
  type ImportedImage,
  type ImportImageRequest,
  type OperationOptions,
  type PluginLogger,
  type SnapshotInfo,
  type StartOptions,
  type StopOptions,
  type StopResult,
  type VmDisplay,
  type VmRef,
  type VmSpec,
  type VmStatus,
} from 'twinbox/plugin-api';
import { channelKey, connectPipe, type PipeOpener } from './channel.js';
import type { HyperVContext } from './context.js';
import { createVm } from './create.js';
import { detect } from './detect.js';
import { display } from './display.js';
import { HyperVDriver } from './driver.js';
import { forwardPort } from './forward-port.js';
import { importImage } from './import-image.js';
import { hostKind, type HostKind } from './platform.js';
import { pause, resume, start, stop, suspend } from './power.js';
import { removeVm } from './remove.js';
import { createSnapshot, deleteSnapshot, listSnapshots, restoreSnapshot } from './snapshots.js';
import { readVm } from './vm-status.js';

export interface HyperVPluginOptions {
  runner: CommandRunner;
  clock: Clock;
  logger?: PluginLogger;
  /** Where twinbox runs; detected from the platform and environment when absent. */
  host?: HostKind;
  /** Close the PowerShell host after this long without commands (0: never). */
  idleMs?: number;
  /** Default time limit of one PowerShell command. */
  commandTimeoutMs?: number;
  /** Opens a COM port's named pipe (`net.connect` by default; tests serve the pipe from a local socket). */
  openPipe?: PipeOpener;
}

/** Hyper-V through one long-lived PowerShell host. */
export class HyperVPlugin implements HypervisorPlugin {
  readonly kind = 'hypervisor' as const;
  readonly name = 'hyperv';
  readonly displayName = 'Hyper-V';
  readonly simulated = false;
  private readonly ctx: HyperVContext;
  private readonly openPipe?: PipeOpener;

  constructor(options: HyperVPluginOptions) {
    const driver = new HyperVDriver({
      runner: options.runner,
      logger: options.logger,
      // Long enough for a burst of commands (a status screen refreshes every 500 ms), short
      // enough that a finished command-line run is not kept alive for long.
      idleMs: options.idleMs ?? 2000,
      commandTimeoutMs: options.commandTimeoutMs ?? 120_000,
    });
    this.openPipe = options.openPipe;
    this.ctx = { driver, runner: options.runner, clock: options.clock, host: options.host ?? hostKind(process.platform, process.env), logger: options.logger };
  }

  detect(): Promise<Availability> {
    return detect(this.ctx.driver, this.ctx.host);
  }

  capabilities(): HypervisorCapabilities {
    return {
      linkedClones: true,
      suspend: true,
      pause: true,
      snapshots: true,
      // From WSL the COM port pipes are out of reach.
      channels: this.ctx.host === 'windows',
      importFormats: DISK_FORMATS,
      // Differencing disks of Generation 2 VMs: VHDX over a VHDX base.
      createFormats: ['vhdx'],
    };
  }

  importImage(request: ImportImageRequest, options?: OperationOptions): Promise<ImportedImage> {
    return importImage(this.ctx, request, options);
  }

  create(spec: VmSpec, options?: OperationOptions): Promise<VmRef> {
    return createVm(this.ctx, spec, options);
  }

  start(vm: VmRef, options?: StartOptions): Promise<void> {
    return start(this.ctx, vm, options);
  }

  stop(vm: VmRef, options?: StopOptions): Promise<StopResult> {
    return stop(this.ctx, vm, options);
  }

  pause(vm: VmRef): Promise<void> {
    return pause(this.ctx, vm);
  }

  // Save-VM and Resume-VM cannot be interrupted half-way, so there is no signal to pass on.
  suspend(vm: VmRef, _options?: OperationOptions): Promise<void> {
    return suspend(this.ctx, vm);
  }

  resume(vm: VmRef, _options?: OperationOptions): Promise<void> {
    return resume(this.ctx, vm);
  }

  async state(vm: VmRef): Promise<VmStatus> {
    return (await readVm(this.ctx, vm)).status;
  }

  listSnapshots(vm: VmRef): Promise<SnapshotInfo[]> {
    return listSnapshots(this.ctx, vm);
  }

  createSnapshot(vm: VmRef, name: string): Promise<void> {
    return createSnapshot(this.ctx, vm, name);
  }

  restoreSnapshot(vm: VmRef, name: string): Promise<void> {
    return restoreSnapshot(this.ctx, vm, name);
  }

  deleteSnapshot(vm: VmRef, name: string): Promise<void> {
    return deleteSnapshot(this.ctx, vm, name);
  }

  remove(vm: VmRef): Promise<void> {
    return removeVm(this.ctx, vm);
  }

  async openChannel(vm: VmRef, name: string): Promise<Duplex> {
    const pipe = vm.data?.[channelKey(name)];
    if (typeof pipe !== 'string') {
      throw new TwinboxError('channel-not-found', `${vm.id} has no channel named "${name}"`, { hint: 'channels are set when the VM is created' });
    }
    return connectPipe(pipe, `channel "${name}" of ${vm.id}`, this.ctx.host, this.openPipe);
  }

  /** A running VM's screen: Hyper-V's Virtual Machine Connection window (vmconnect). */
  display(vm: VmRef): Promise<VmDisplay | undefined> {
    return display(this.ctx, vm);
  }

  /** The guest's own IPv4 address on the virtual switch, with the port unchanged. */
  forwardPort(vm: VmRef, guestPort: number): Promise<ForwardedPort | undefined> {
    return forwardPort(this.ctx, vm, guestPort);
  }

  /** Ends the PowerShell host now instead of after the idle time (the core calls it on exit). */
  dispose(): Promise<void> {
    return this.ctx.driver.dispose();
  }
}
