import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunStep } from '../../../../src/testing/transcript-runner.js';
import * as out from './vboxmanage-output.js';

/** Every VBoxManage call runs with the C locale; each step checks that. */
export const VBOX_ENV = { LANG: 'C', LC_ALL: 'C' } as const;

export interface VBoxFixture {
  binary: string;
  id: string;
  uuid: string;
  vmDir: string;
  /** Where the VM's first serial port listens. */
  socketPath: string;
}

export function vmNameOf(fixture: VBoxFixture): string {
  return `twinbox-${fixture.id}`;
}

type Answer = Pick<RunStep, 'exitCode' | 'stdout' | 'stderr' | 'timedOut' | 'effect' | 'note'>;

/** Step builders for one VM: each returns the exact argv VBoxManage must receive, and its recorded answer. */
export class VBoxSteps {
  constructor(readonly fixture: VBoxFixture) {}

  get name(): string {
    return vmNameOf(this.fixture);
  }

  call(args: readonly string[], answer: Answer = {}): RunStep {
    return { argv: [this.fixture.binary, ...args], env: VBOX_ENV, ...answer };
  }

  version(stdout = out.VERSION_OUTPUT): RunStep {
    return this.call(['--version'], { stdout });
  }

  showvminfo(state: string, answer: Answer = {}, machine: Partial<out.MachineInfo> = {}): RunStep {
    const stdout = out.showvminfo({ name: this.name, uuid: this.fixture.uuid, baseFolder: this.fixture.vmDir, state, uartPath: this.fixture.socketPath, ...machine });
    return this.call(['showvminfo', this.fixture.uuid, '--machinereadable'], { stdout, note: `VMState=${state}`, ...answer });
  }

  showvminfoGone(options: { german?: boolean } = {}): RunStep {
    return this.call(['showvminfo', this.fixture.uuid, '--machinereadable'], { exitCode: 1, stderr: out.machineNotFound(this.fixture.uuid, options), note: 'VM gone' });
  }

  controlvm(action: string, answer: Answer = {}): RunStep {
    const stderr = action === 'poweroff' || action === 'savestate' ? out.PROGRESS : '';
    return this.call(['controlvm', this.fixture.uuid, action], { stderr, ...answer });
  }

  startvm(answer: Answer = {}): RunStep {
    return this.call(['startvm', this.fixture.uuid, '--type', 'headless'], { stdout: out.startvmOutput(this.name), ...answer });
  }

  discardstate(): RunStep {
    return this.call(['discardstate', this.fixture.uuid]);
  }

  /** Importing an image VirtualBox reads itself: clone to VDI (a new UUID, so it never collides). */
  importByClone(source: string, target: string): RunStep[] {
    return [
      this.call(['clonemedium', 'disk', source, target, '--format', 'VDI'], {
        stdout: out.clonemediumOutput('3c1d8e2f-6a7b-4c5d-9e0f-1a2b3c4d5e6f'),
        stderr: out.PROGRESS,
        effect: () => writeFileSync(target, Buffer.alloc(2 * 1024 * 1024)),
      }),
    ];
  }

  /** The VM's own differencing disk, in the machine folder createvm made. */
  get diskPath(): string {
    return join(this.fixture.vmDir, this.name, `${this.name}.vdi`);
  }

  createDisk(basePath: string, answer: Answer = {}): RunStep {
    return this.call(['createmedium', 'disk', '--filename', this.diskPath, '--diffparent', basePath, '--format', 'VDI'], {
      stdout: out.createmediumOutput('7a1c9e3d-5b2f-4e6a-8c0d-1e2f3a4b5c6d'),
      stderr: out.PROGRESS,
      ...answer,
    });
  }

  attachDisk(answer: Answer = {}): RunStep {
    return this.call(['storageattach', this.fixture.uuid, '--storagectl', 'SATA', '--port', '0', '--device', '0', '--type', 'hdd', '--medium', this.diskPath], answer);
  }

  /** `create` with NAT and one channel: the full argv sequence. */
  create(
    basePath: string,
    options: {
      existing?: { name: string; uuid: string }[];
      nic?: string[];
      cpus?: number;
      memoryMiB?: number;
      /** Steps between `list vms` and `createvm` (the bridge and VRDE look-ups). */
      lookups?: RunStep[];
      /** modifyvm's screen switches (VRDE). */
      screen?: readonly string[];
      created?: () => void;
      diskMade?: () => void;
    } = {},
  ): RunStep[] {
    const { uuid, vmDir, socketPath } = this.fixture;
    return [
      this.call(['list', 'vms'], { stdout: out.listVms(options.existing ?? [{ name: 'windows-11', uuid: '8a3f0c2e-1b4d-4e6f-8a9b-0c1d2e3f4a5b' }]) }),
      ...(options.lookups ?? []),
      this.call(['createvm', '--name', this.name, '--basefolder', vmDir, '--ostype', 'Linux_64', '--register'], { stdout: out.createvmOutput(this.name, uuid, vmDir), effect: options.created }),
      this.call([
        'modifyvm', uuid, '--cpus', String(options.cpus ?? 2), '--memory', String(options.memoryMiB ?? 1024), '--acpi', 'on', '--ioapic', 'on',
        ...(options.nic ?? ['--nic1', 'nat']),
        '--uart1', '0x3F8', '4', '--uartmode1', 'server', socketPath,
        ...(options.screen ?? []),
      ]),
      this.call(['storagectl', uuid, '--name', 'SATA', '--add', 'sata', '--portcount', '1']),
      this.createDisk(basePath, { effect: options.diskMade }),
      this.attachDisk(),
    ];
  }

  snapshotList(names: readonly string[]): RunStep {
    const args = ['snapshot', this.fixture.uuid, 'list', '--machinereadable'];
    return names.length === 0 ? this.call(args, { exitCode: 1, stdout: out.NO_SNAPSHOTS }) : this.call(args, { stdout: out.snapshotList(names) });
  }

  snapshot(action: 'take' | 'restore' | 'delete', name: string, answer: Answer = {}): RunStep {
    const stdout = action === 'take' ? 'Snapshot taken. UUID: 5e2a9c7d-0000-4000-8000-000000000000\n' : '';
    const stderr = action === 'take' ? out.PROGRESS : `${action === 'restore' ? 'Restoring' : 'Deleting'} snapshot '${name}' (5e2a9c7d-0000-4000-8000-000000000000)\n${out.PROGRESS}`;
    return this.call(['snapshot', this.fixture.uuid, action, name], { stdout, stderr, ...answer });
  }

  unregister(answer: Answer = {}): RunStep {
    return this.call(['unregistervm', this.fixture.uuid, '--delete'], { stderr: out.PROGRESS, ...answer });
  }
}
