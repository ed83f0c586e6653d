import { userInfo } from 'node:os';
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
  type PluginPaths,
  type SnapshotInfo,
  type StartOptions,
  type StopOptions,
  type StopResult,
  type VmDisplay,
  type VmRef,
  type VmSpec,
  type VmStatus,
} from 'twinbox/plugin-api';
import { channelKey, connectChannel } from './channel.js';
import type { VBoxContext } from './context.js';
import { createVm } from './create.js';
import { detect } from './detect.js';
import { display } from './display.js';
import { VBoxManageDriver } from './driver.js';
import { forwardPort } from './forward-port.js';
import { importImage } from './import-image.js';
import { freeLoopbackPort } from './loopback-port.js';
import { checkVmId } from './names.js';
import { pause, resume, start, stop, suspend } from './power.js';
import { removeVm } from './remove.js';
import { createSnapshot, deleteSnapshot, listSnapshots, restoreSnapshot } from './snapshots.js';
import { readVm } from './vm-status.js';

export interface VirtualBoxPluginOptions {
  runner: CommandRunner;
  paths: PluginPaths;
  clock: Clock;
  logger?: PluginLogger;
  /** The host platform; tests pretend to be Windows or macOS. */
  platform?: NodeJS.Platform;
  env?: Readonly<Record<string, string | undefined>>;
  /** The host account RDP viewers log in as (the current user by default). */
  user?: string;
  /** Picks the host port of a new NAT forwarding rule (a free loopback port by default). */
  freePort?: () => Promise<number>;
}

/** The account twinbox runs as; a process without a passwd entry (some containers) has no name to offer. */
function currentUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/** VirtualBox through VBoxManage. */
export class VirtualBoxPlugin implements HypervisorPlugin {
  readonly kind = 'hypervisor' as const;
  readonly name = 'virtualbox';
  readonly displayName = 'VirtualBox';
  readonly simulated = false;
  private readonly ctx: VBoxContext;

  constructor(options: VirtualBoxPluginOptions) {
    const platform = options.platform ?? process.platform;
    const driver = new VBoxManageDriver({
      runner: options.runner,
      clock: options.clock,
      paths: options.paths,
      logger: options.logger,
      platform,
      env: options.env ?? process.env,
    });
    this.ctx = {
      driver,
      runner: options.runner,
      clock: options.clock,
      paths: options.paths,
      platform,
      logger: options.logger,
      user: options.user ?? currentUser(),
      freePort: options.freePort ?? freeLoopbackPort,
    };
  }

  detect(): Promise<Availability> {
    return detect(this.ctx.driver);
  }

  capabilities(): HypervisorCapabilities {
    return { linkedClones: true, suspend: true, pause: true, snapshots: true, channels: true, importFormats: DISK_FORMATS, createFormats: ['vdi'] };
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

  suspend(vm: VmRef, options?: OperationOptions): Promise<void> {
    return suspend(this.ctx, vm, options);
  }

  resume(vm: VmRef, options?: OperationOptions): Promise<void> {
    return resume(this.ctx, vm, options);
  }

  async state(vm: VmRef): Promise<VmStatus> {
    checkVmId(vm.id);
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
    const path = vm.data?.[channelKey(name)];
    if (typeof path !== 'string') {
      throw new TwinboxError('channel-not-found', `${vm.id} has no channel named "${name}"`, { hint: 'channels are set when the VM is created' });
    }
    return connectChannel(path, `channel "${name}" of ${vm.id}`);
  }

  /** A VM made with a screen shows it over RDP (VirtualBox's VRDE) on loopback while it runs. */
  async display(vm: VmRef): Promise<VmDisplay | undefined> {
    checkVmId(vm.id);
    return display(this.ctx, vm);
  }

  /** A NAT guest's port through a loopback forwarding rule; a bridged guest's own address. */
  async forwardPort(vm: VmRef, guestPort: number): Promise<ForwardedPort | undefined> {
    checkVmId(vm.id);
    return forwardPort(this.ctx, vm, guestPort);
  }
}
