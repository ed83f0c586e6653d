import { readFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DISK_FORMATS,
  type Availability,
  type Clock,
  type CommandRunner,
  type ForwardedPort,
  type HypervisorCapabilities,
  type HypervisorPlugin,
  type ImportImageRequest,
  type ImportedImage,
  type OperationOptions,
  type PluginPaths,
  type SnapshotInfo,
  type StartOptions,
  type StopOptions,
  type StopResult,
  type VmRef,
  type VmSpec,
  type VmStatus,
} from 'twinbox/plugin-api';
import { latestBootConsole } from './console-log.js';
import { connectAgent } from './agent-channel.js';
import { consoleChannelIndex, consoleSocketPath, SOCAT_MISSING } from './console-paths.js';
import { fakeErrors } from './errors.js';
import { AGENT_CHANNEL, type FakeContext } from './fake-context.js';
import { mergeFaults, type FakeFaults } from './faults.js';
import { importImage } from './image-import.js';
import { withOperationLock } from './operation-lock.js';
import * as snapshots from './snapshots.js';
import { createVm } from './vm-create.js';
import { VmIndex } from './vm-index.js';
import { pauseVm, suspendVm, unpauseVm } from './vm-power.js';
import { removeEmptyVmDir, removeVm } from './vm-remove.js';
import { DEFAULT_START_TIMEOUT_MS, launchVm, waitForOtherStart } from './vm-start.js';
import { stopVm } from './vm-stop.js';
import { currentStatus } from './vm-status.js';
import { updateRecord } from './vm-store.js';

export interface FakeHypervisorOptions {
  /** The compiled guest program; defaults to guest/main.js beside this module. */
  guestMain?: string;
}

const CAPABILITIES: HypervisorCapabilities = Object.freeze({
  linkedClones: true,
  suspend: true,
  pause: true,
  snapshots: true,
  channels: true,
  importFormats: DISK_FORMATS,
  // The guest filesystem is unpacked from any base (a tar archive) or made empty.
  createFormats: DISK_FORMATS,
});

async function pluginVersion(): Promise<string> {
  try {
    const manifest = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * A hypervisor that runs no real guest, for tests and demos: each running VM is a detached
 * Node process that keeps its state in files and speaks the real QEMU guest agent protocol,
 * with a folder standing in for the guest's filesystem. Faults can be injected per VM.
 */
export class FakeHypervisor implements HypervisorPlugin {
  readonly kind = 'hypervisor';
  readonly name = 'fake';
  readonly displayName = 'fake (simulated)';
  readonly simulated = true;
  private readonly context: FakeContext;

  constructor(runner: CommandRunner, paths: PluginPaths, clock: Clock, options: FakeHypervisorOptions = {}) {
    this.context = {
      runner,
      paths,
      clock,
      index: new VmIndex(paths.dataDir),
      guestMain: options.guestMain ?? fileURLToPath(new URL('./guest/main.js', import.meta.url)),
    };
  }

  /** Always usable; whether its VMs get console ports (terminal apps) depends on socat being installed. */
  async detect(): Promise<Availability> {
    const socat = await this.context.runner.which('socat');
    return {
      usable: true,
      reason: socat
        ? 'built-in simulated hypervisor: runs no real guest; console ports for terminal apps through socat'
        : `built-in simulated hypervisor: runs no real guest; no console ports for terminal apps (${SOCAT_MISSING}: apt-get install socat)`,
      version: await pluginVersion(),
      details: { guest: this.context.guestMain, socat: socat ?? 'not installed' },
    };
  }

  capabilities(): HypervisorCapabilities {
    return CAPABILITIES;
  }

  importImage(request: ImportImageRequest, options?: OperationOptions): Promise<ImportedImage> {
    return importImage(request, options);
  }

  async create(spec: VmSpec, options?: OperationOptions): Promise<VmRef> {
    options?.onProgress?.({ message: 'creating the guest filesystem' });
    return createVm(this.context, spec);
  }

  async start(vm: VmRef, options: StartOptions = {}): Promise<void> {
    await withOperationLock(vm, async () => {
      const vmDir = resolve(vm.vmDir);
      let { record, status } = await currentStatus(vmDir);
      if (!record) throw fakeErrors.vmNotFound(vm.id);
      if (status.state === 'starting') {
        // Started by a process that went away before the guest was up.
        if (await waitForOtherStart(this.context, vmDir, options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS)) return;
        ({ record, status } = await currentStatus(vmDir));
      }
      if (status.state === 'paused' && record?.pid !== undefined) {
        await unpauseVm(vm, record.pid);
        return;
      }
      switch (status.state) {
        case 'running':
          return;
        case 'stopped':
        case 'crashed':
        case 'suspended':
          await launchVm(this.context, vm, options, status.state === 'suspended');
          return;
        default:
          throw fakeErrors.invalidState(vm.id, status.state, 'start', 'wait until the current operation has finished');
      }
    });
  }

  stop(vm: VmRef, options: StopOptions = {}): Promise<StopResult> {
    return withOperationLock(vm, () => stopVm(this.context, vm, options));
  }

  pause(vm: VmRef): Promise<void> {
    return withOperationLock(vm, () => pauseVm(vm));
  }

  suspend(vm: VmRef): Promise<void> {
    return withOperationLock(vm, () => suspendVm(this.context, vm));
  }

  async resume(vm: VmRef, options: OperationOptions = {}): Promise<void> {
    await withOperationLock(vm, async () => {
      const { record, status } = await currentStatus(resolve(vm.vmDir));
      if (!record) throw fakeErrors.vmNotFound(vm.id);
      if (status.state === 'paused' && record.pid !== undefined) {
        await unpauseVm(vm, record.pid);
        return;
      }
      switch (status.state) {
        case 'running':
          return;
        case 'suspended':
          await launchVm(this.context, vm, options, true);
          return;
        default:
          throw fakeErrors.invalidState(vm.id, status.state, 'resume', 'only a paused or suspended VM can be resumed; start it instead');
      }
    });
  }

  async state(vm: VmRef): Promise<VmStatus> {
    return (await currentStatus(resolve(vm.vmDir))).status;
  }

  listSnapshots(vm: VmRef): Promise<SnapshotInfo[]> {
    return snapshots.listSnapshots(vm);
  }

  createSnapshot(vm: VmRef, name: string): Promise<void> {
    return withOperationLock(vm, () => snapshots.createSnapshot(vm, name, this.context.clock.now()));
  }

  restoreSnapshot(vm: VmRef, name: string): Promise<void> {
    return withOperationLock(vm, () => snapshots.restoreSnapshot(vm, name));
  }

  deleteSnapshot(vm: VmRef, name: string): Promise<void> {
    return withOperationLock(vm, () => snapshots.deleteSnapshot(vm, name));
  }

  async remove(vm: VmRef): Promise<void> {
    const vmDir = resolve(vm.vmDir);
    const { record } = await currentStatus(vmDir);
    if (record) await withOperationLock(vm, () => removeVm(this.context, vm));
    await this.context.index.delete(vm.id, vmDir);
    await removeEmptyVmDir(vmDir);
  }

  consoleTail(vm: VmRef): Promise<string | undefined> {
    return latestBootConsole(resolve(vm.vmDir));
  }

  /** The guest agent's channel, and the console ports (`console<N>`) the guest offers through socat. */
  async openChannel(vm: VmRef, name: string): Promise<Duplex> {
    const { record, status } = await currentStatus(resolve(vm.vmDir));
    if (!record) throw fakeErrors.vmNotFound(vm.id);
    const console = consoleChannelIndex(name);
    if (name !== AGENT_CHANNEL && console === undefined) throw fakeErrors.unknownChannel(vm.id, name, [AGENT_CHANNEL, 'console<N>']);
    if (status.state !== 'running' || !record.socketPath) throw fakeErrors.vmNotRunning(vm.id, status.state);
    let socketPath = record.socketPath;
    if (console !== undefined) {
      const offered = record.consoles?.ports ?? 0;
      if (console >= offered) throw fakeErrors.noConsolePort(vm.id, name, offered, record.consoles?.unavailable ?? (offered === 0 ? 'the guest offers none' : undefined));
      socketPath = consoleSocketPath(record.socketPath, console);
    }
    try {
      return await connectAgent(socketPath);
    } catch (error) {
      throw fakeErrors.channelUnavailable(vm.id, name, error);
    }
  }

  /** The fake guest's programs are host processes on the host's network: a guest port is the same loopback port. */
  async forwardPort(vm: VmRef, guestPort: number): Promise<ForwardedPort | undefined> {
    const { status } = await currentStatus(resolve(vm.vmDir));
    return status.state === 'running' ? { host: '127.0.0.1', port: guestPort } : undefined;
  }

  /**
   * Changes the VM's injected faults (undefined resets one); persisted with the VM, so the
   * guest process and other twinbox processes see them. Agent faults apply to the next
   * connection; boot and crash faults to the next start.
   */
  async setFaults(vm: VmRef, faults: Partial<FakeFaults>): Promise<FakeFaults> {
    const updated = await updateRecord(resolve(vm.vmDir), (record) => {
      record.faults = mergeFaults(record.faults, faults);
    });
    if (!updated) throw fakeErrors.vmNotFound(vm.id);
    return updated.faults;
  }

  /** Every VM this plugin made under its data folder, by id (other processes' VMs included). */
  listVms(): Promise<Record<string, string>> {
    return this.context.index.list();
  }
}
