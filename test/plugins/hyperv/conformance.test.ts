import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalize as windowsNormalize, join as windowsJoin } from 'node:path/win32';
import test from 'ava';
import { HyperVPlugin } from '../../../plugins/hyperv/index.js';
import { hypervisorConformance, type ConformanceTestContext } from '../../../src/testing/hypervisor-conformance.js';
import { TranscriptGuest } from '../../../src/testing/transcript-guest.js';
import { TranscriptRunner, type ShellStep, type TranscriptStep } from '../../../src/testing/transcript-runner.js';
import { steppingClock } from './support/harness.js';
import * as out from './transcripts/powershell-output.js';
import { createVmScript, DETECT_SCRIPT_TEXT, hostFacts, HyperVSteps, importCopyScript, PS_EXE } from './transcripts/hyperv-steps.js';

const SUITE = 'hyperv (transcripts)';
const VM_GUID = '2d7e9f10-3a4b-4c5d-8e6f-7a8b9c0d1e2f';

/**
 * One conformance test's VM as Hyper-V would see it, twinbox running on Windows: the recorded
 * PowerShell answers, and effects doing what Hyper-V does (Copy-Item of the base, New-VHD and
 * New-VM files in the VM folder, a worker process while the VM runs and the COM port's pipe
 * with the guest agent behind it, served here from a local socket).
 */
class HyperVScript {
  readonly ps: HyperVSteps;
  readonly guest = new TranscriptGuest({ hostName: 'conformance' });
  readonly socketDir = mkdtempSync(join(tmpdir(), 'tbh-'));
  readonly pipe: string;
  private readonly source: string;
  private readonly base: string;
  private readonly vmDirWindows: string;

  constructor(
    readonly vmId: string,
    readonly vmDir: string,
    workDir: string,
  ) {
    this.ps = new HyperVSteps({ exe: PS_EXE, id: vmId, vmId: VM_GUID });
    this.pipe = `\\\\.\\pipe\\twinbox-${vmId}`;
    this.source = join(workDir, 'source', 'disk.vhdx');
    this.base = join(workDir, 'images', 'disk.vhdx');
    this.vmDirWindows = windowsNormalize(vmDir);
  }

  get socket(): string {
    return join(this.socketDir, 'com1.sock');
  }

  get diskWindows(): string {
    return windowsJoin(this.vmDirWindows, `${this.ps.name}.vhdx`);
  }

  import(): ShellStep {
    return {
      ...this.ps.ok(importCopyScript(windowsNormalize(this.source), windowsNormalize(this.base)), {
        Path: windowsNormalize(this.base),
        VhdFormat: 'VHDX',
        VhdType: 'Dynamic',
        FileSize: 4194304,
        Size: 2147483648,
      }),
      effect: () => copyFileSync(this.source, this.base),
    };
  }

  create(): ShellStep {
    const script = createVmScript({ disk: this.diskWindows, base: windowsNormalize(this.base), name: this.ps.name, vmDir: this.vmDirWindows, pipe: this.pipe, memoryBytes: 512 * 1024 * 1024, cpus: 1 });
    return {
      ...this.ps.ok(script, { Id: VM_GUID, Name: this.ps.name }),
      effect: () => {
        mkdirSync(join(this.vmDir, this.ps.name, 'Virtual Machines'), { recursive: true });
        writeFileSync(join(this.vmDir, this.ps.name, 'Virtual Machines', `${VM_GUID}.vmcx`), 'vmcx');
        writeFileSync(join(this.vmDir, `${this.ps.name}.vhdx`), Buffer.alloc(64 * 1024));
      },
    };
  }

  /** Get-VM's view; while the VM runs, its worker process is the guest's stand-in process. */
  info(state: 'Off' | 'Running' | 'Paused' | 'Saved'): ShellStep {
    const { shell, note } = this.ps.vmInfo(state);
    const guest = this.guest;
    const name = this.ps.name;
    return {
      shell,
      note,
      // Read when the plugin asks, so that it is the pid of the process running by then.
      get stdout() {
        return out.okOutput(out.vmObject({ Id: VM_GUID, Name: name, State: state, ProcessId: state === 'Off' || state === 'Saved' ? null : (guest.pid ?? null) }));
      },
    };
  }

  gone(): ShellStep {
    return this.ps.vmGone();
  }

  /** Start-VM, Stop-VM, Save-VM…: `on` says whether the VM process runs afterwards. */
  power(command: string, on: boolean): ShellStep {
    return { ...this.ps.power(command), effect: () => (on ? this.powerOn() : this.guest.powerOff()) };
  }

  private async powerOn(): Promise<void> {
    await this.guest.powerOn(this.socket);
  }

  start(): ShellStep {
    return this.power('Hyper-V\\Start-VM -VM $vm;', true);
  }

  removeSteps(state: 'Off' | 'Running' | 'gone'): TranscriptStep[] {
    const remove: ShellStep =
      state === 'gone'
        ? this.ps.fail(this.ps.removeScript(), out.vmNotFoundMessage(VM_GUID), 'ObjectNotFound', 'TwinboxVmNotFound,Get-TwinboxVm')
        : { ...this.ps.ok(this.ps.removeScript(), [this.diskWindows]), effect: () => this.guest.powerOff() };
    const deleteFiles: ShellStep = {
      ...this.ps.deleteFiles([this.diskWindows], this.vmDirWindows, windowsNormalize(this.base)),
      effect: () => {
        rmSync(join(this.vmDir, `${this.ps.name}.vhdx`), { force: true });
        rmSync(join(this.vmDir, this.ps.name), { recursive: true, force: true });
      },
    };
    return [remove, deleteFiles];
  }

  stage(stage: ConformanceTestContext['stage']): TranscriptStep[] {
    switch (stage) {
      case 'imported':
        return [...this.ps.boot(), this.import()];
      case 'created':
        return [...this.ps.boot(), this.import(), this.create()];
      case 'running':
        return [...this.ps.boot(), this.import(), this.create(), this.info('Off'), this.start()];
      default:
        return [];
    }
  }

  async dispose(): Promise<void> {
    await this.guest.powerOff();
    rmSync(this.socketDir, { recursive: true, force: true });
  }
}

const scenarios: Record<string, (s: HyperVScript) => TranscriptStep[]> = {
  'detect() says whether the hypervisor is usable, and why': (s) => [...s.ps.boot(), s.ps.ok(DETECT_SCRIPT_TEXT, hostFacts())],
  'identity and capabilities are consistent': () => [],
  // A VM never created has no GUID: Hyper-V is not even asked.
  'an unknown VM is not-created, and acting on it fails clearly': () => [],
  'an imported image makes a VM that is stopped once created': (s) => [s.create(), s.info('Off'), ...s.removeSteps('Off')],
  'a started VM is running and has a pid': (s) => [s.info('Running'), ...s.removeSteps('Running')],
  'starting a running VM again is harmless or a clear error': (s) => [s.info('Running'), s.info('Running'), s.info('Running'), ...s.removeSteps('Running')],
  'a channel into the guest answers a guest-agent resync': (s) => s.removeSteps('Running'),
  'a paused VM resumes running': (s) => [
    s.info('Running'),
    s.power('Hyper-V\\Suspend-VM -VM $vm;', true),
    s.info('Paused'),
    s.info('Paused'),
    s.power('Hyper-V\\Resume-VM -VM $vm;', true),
    s.info('Running'),
    ...s.removeSteps('Running'),
  ],
  'a suspended VM resumes running': (s) => [
    s.info('Running'),
    s.power('Hyper-V\\Save-VM -VM $vm;', false),
    s.info('Saved'),
    s.info('Saved'),
    s.start(),
    s.info('Running'),
    ...s.removeSteps('Running'),
  ],
  'a graceful stop leaves the VM stopped, and it starts again': (s) => [
    s.info('Running'),
    s.power('Hyper-V\\Stop-VM -VM $vm -Force -AsJob | Out-Null;', false),
    s.info('Off'),
    s.info('Off'),
    s.info('Off'),
    s.info('Off'),
    s.start(),
    s.info('Running'),
    ...s.removeSteps('Running'),
  ],
  'metrics, where the plugin offers them, describe a running VM and none when it is stopped': (s) => [
    s.info('Running'),
    s.info('Running'),
    s.power('Hyper-V\\Stop-VM -VM $vm -TurnOff -Force;', false),
    s.info('Off'),
    ...s.removeSteps('Off'),
  ],
  'a forced stop powers the VM off': (s) => [s.info('Running'), s.info('Running'), s.power('Hyper-V\\Stop-VM -VM $vm -TurnOff -Force;', false), s.info('Off'), ...s.removeSteps('Off')],
  'snapshots are taken, listed, restored and deleted': (s) => [
    s.ps.listSnapshots([]),
    s.ps.createSnapshot('snap-1'),
    s.ps.listSnapshots(['snap-1']),
    s.ps.ok(s.ps.restoreSnapshotScript('snap-1')),
    s.info('Off'),
    s.ps.fail(s.ps.restoreSnapshotScript('no-such-snapshot'), 'no checkpoint has that name', 'ObjectNotFound', 'TwinboxSnapshotNotFound'),
    s.ps.ok(s.ps.deleteSnapshotScript('snap-1')),
    s.ps.listSnapshots([]),
    ...s.removeSteps('Off'),
  ],
  'remove deletes the VM and its own files, and keeps the base image': (s) => [...s.removeSteps('Off'), s.gone(), ...s.removeSteps('gone')],
  'removing a running VM leaves no process behind': (s) => [s.info('Running'), ...s.removeSteps('Running'), s.gone(), ...s.removeSteps('gone')],
  // Hyper-V holds a VM's files while it is registered: a VM whose folder is gone was removed
  // in Hyper-V Manager (with its files), so the lookup finds no VM.
  "a VM deleted behind the plugin's back is not-created": (s) => [s.gone(), ...s.removeSteps('gone')],
};

function scenarioFor(title: string): (s: HyperVScript) => TranscriptStep[] {
  const text = title.slice(`${SUITE}: `.length);
  const scenario = scenarios[text];
  if (!scenario) throw new Error(`no Hyper-V transcript for the conformance test "${text}": record one in ${import.meta.url}`);
  return scenario;
}

hypervisorConformance(test, {
  name: SUITE,
  createPlugin: ({ t, vm, workDir, stage }) => {
    const scratch = mkdtempSync(join(tmpdir(), 'tbh-w-'));
    const id = vm?.id ?? 'conformance-none';
    const script = new HyperVScript(id, vm?.vmDir ?? join(scratch, 'vms', id), workDir ?? scratch);
    const runner = new TranscriptRunner([...script.stage(stage), ...scenarioFor(t.title)(script)], { which: { 'powershell.exe': PS_EXE } });
    const plugin = new HyperVPlugin({
      runner,
      clock: steppingClock().clock,
      host: 'windows',
      idleMs: 0,
      // The COM port's pipe, served by the stand-in guest's agent; any other pipe has no server.
      openPipe: (pipe) => connect(pipe === script.pipe ? script.socket : join(script.socketDir, 'no-such-pipe.sock')),
    });
    // Registered before the suite's own teardown, so it runs after it: the removal is part of the transcript.
    t.teardown(async () => {
      await plugin.dispose();
      runner.closeShells();
      await script.dispose();
      rmSync(scratch, { recursive: true, force: true });
      runner.assertDone();
    });
    return plugin;
  },
  makeImage: async (dir) => {
    const path = join(dir, 'disk.vhdx');
    writeFileSync(path, Buffer.concat([Buffer.from('vhdxfile'), Buffer.alloc(4096)]));
    return { path, format: 'vhdx' };
  },
});
