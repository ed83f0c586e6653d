import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { hypervisorConformance, type ConformanceTestContext } from '../../../src/testing/hypervisor-conformance.js';
import { TranscriptGuest } from '../../../src/testing/transcript-guest.js';
import type { RunStep, TranscriptStep } from '../../../src/testing/transcript-runner.js';
import { tempPaths, virtualbox, VBOXMANAGE } from './support/harness.js';
import * as out from './transcripts/vboxmanage-output.js';
import { QUERIED } from '../../../plugins/virtualbox/cap/metrics.js';
import { VBoxSteps, vmNameOf } from './transcripts/vbox-steps.js';

const SUITE = 'virtualbox (transcripts)';
const UUID = '4f1c2b3a-9d8e-4c7b-a6f5-0e1d2c3b4a59';
/** A running VM's figures as `metrics query` prints them once collection is set up. */
const METRICS = [
  { metric: 'CPU/Load/User', samples: [6.5], unit: '%' as const },
  { metric: 'CPU/Load/Kernel', samples: [1.25], unit: '%' as const },
  { metric: 'RAM/Usage/Used', samples: [574312], unit: 'kB' as const },
];

/**
 * One conformance test's VM as VirtualBox would see it: the recorded VBoxManage answers, and
 * effects doing what VirtualBox does to the disk and to processes (the machine folder and
 * its settings file, the differencing disk, the VM process with its VBox.log, the serial
 * port's socket with the guest agent behind it).
 */
class VBoxScript {
  readonly vbox: VBoxSteps;
  /** Calls made before create() learns the UUID address the VM by name. */
  readonly byName: VBoxSteps;
  readonly guest = new TranscriptGuest({ hostName: 'conformance' });
  readonly source: string;
  readonly imported: string;

  constructor(
    readonly vmId: string,
    readonly vmDir: string,
    workDir: string,
    socketPath: string,
  ) {
    const fixture = { binary: VBOXMANAGE, id: vmId, uuid: UUID, vmDir, socketPath };
    this.vbox = new VBoxSteps(fixture);
    this.byName = new VBoxSteps({ ...fixture, uuid: vmNameOf(fixture) });
    this.source = join(workDir, 'source', 'disk.vmdk');
    this.imported = join(workDir, 'images', 'disk.vdi');
  }

  get machineFolder(): string {
    return join(this.vmDir, this.vbox.name);
  }

  import(): RunStep[] {
    return this.vbox.importByClone(this.source, this.imported);
  }

  create(): RunStep[] {
    return this.vbox.create(this.imported, {
      existing: [],
      cpus: 1,
      memoryMiB: 512,
      created: () => {
        mkdirSync(join(this.machineFolder, 'Logs'), { recursive: true });
        writeFileSync(join(this.machineFolder, `${this.vbox.name}.vbox`), '<?xml version="1.0"?>\n<VirtualBox/>\n');
      },
      diskMade: () => writeFileSync(this.vbox.diskPath, Buffer.alloc(64 * 1024)),
    });
  }

  info(state: string): RunStep {
    return this.vbox.showvminfo(state);
  }

  startvm(): RunStep {
    return this.vbox.startvm({
      effect: async () => {
        const pid = await this.guest.powerOn(this.vbox.fixture.socketPath);
        writeFileSync(join(this.machineFolder, 'Logs', 'VBox.log'), out.vboxLogHeader(pid));
      },
    });
  }

  /** A control action after which the VM process is gone (power-off, saved state, the guest shut down). */
  controlvmEnding(action: 'poweroff' | 'savestate' | 'acpipowerbutton'): RunStep {
    return this.vbox.controlvm(action, { effect: () => this.guest.powerOff() });
  }

  unregister(): RunStep {
    return this.vbox.unregister({ effect: () => rmSync(this.machineFolder, { recursive: true, force: true }) });
  }

  /** The stages the suite's fixtures bring a VM to. */
  stage(stage: ConformanceTestContext['stage']): TranscriptStep[] {
    switch (stage) {
      case 'imported':
        return this.import();
      case 'created':
        return [...this.import(), ...this.create()];
      case 'running':
        return [...this.import(), ...this.create(), this.info('poweroff'), this.startvm()];
      default:
        return [];
    }
  }

  /** The suite's teardown removes the VM in whatever state the test left it. */
  removeWhen(state: 'poweroff' | 'running' | 'gone'): TranscriptStep[] {
    if (state === 'gone') return [this.byName.showvminfoGone()];
    if (state === 'running') return [this.info('running'), this.controlvmEnding('poweroff'), this.unregister()];
    return [this.info('poweroff'), this.unregister()];
  }
}

/** Each test's own part of the transcript: what the test does after its fixture. */
const scenarios: Record<string, (s: VBoxScript) => TranscriptStep[]> = {
  'detect() says whether the hypervisor is usable, and why': (s) => [s.vbox.version()],
  'identity and capabilities are consistent': () => [],
  'an unknown VM is not-created, and acting on it fails clearly': (s) => {
    const missing = new VBoxSteps({ ...s.vbox.fixture, uuid: 'twinbox-conformance-missing' });
    return [missing.showvminfoGone(), missing.showvminfoGone(), ...s.removeWhen('gone')];
  },
  'an imported image makes a VM that is stopped once created': (s) => [...s.create(), s.info('poweroff'), ...s.removeWhen('poweroff')],
  'a started VM is running and has a pid': (s) => [s.info('running'), ...s.removeWhen('running')],
  'starting a running VM again is harmless or a clear error': (s) => [s.info('running'), s.info('running'), s.info('running'), ...s.removeWhen('running')],
  'a channel into the guest answers a guest-agent resync': (s) => s.removeWhen('running'),
  // VirtualBox samples a VM only once `metrics setup` asked it to: the first query finds nothing.
  'metrics, where the plugin offers them, describe a running VM and none when it is stopped': (s) => [
    s.info('running'),
    s.vbox.call(['metrics', 'query', UUID, QUERIED], { stdout: out.metricsQueryOutput(s.vbox.name, METRICS.map((row) => ({ ...row, samples: [] }))) }),
    s.vbox.call(['metrics', 'setup', '--period', '2', '--samples', '1', UUID, 'CPU/Load,RAM/Usage']),
    s.info('running'),
    s.vbox.call(['metrics', 'query', UUID, QUERIED], { stdout: out.metricsQueryOutput(s.vbox.name, METRICS) }),
    s.info('running'),
    s.controlvmEnding('poweroff'),
    s.info('poweroff'),
    ...s.removeWhen('poweroff'),
  ],
  'a paused VM resumes running': (s) => [
    s.info('running'),
    s.vbox.controlvm('pause'),
    s.info('paused'),
    s.info('paused'),
    s.vbox.controlvm('resume'),
    s.info('running'),
    ...s.removeWhen('running'),
  ],
  'a suspended VM resumes running': (s) => [
    s.info('running'),
    s.controlvmEnding('savestate'),
    s.info('saved'),
    s.info('saved'),
    s.startvm(),
    s.info('running'),
    ...s.removeWhen('running'),
  ],
  'a graceful stop leaves the VM stopped, and it starts again': (s) => [
    s.info('running'),
    s.controlvmEnding('acpipowerbutton'),
    s.info('poweroff'),
    s.info('poweroff'),
    s.info('poweroff'),
    s.info('poweroff'),
    s.startvm(),
    s.info('running'),
    ...s.removeWhen('running'),
  ],
  'a forced stop powers the VM off': (s) => [s.info('running'), s.info('running'), s.controlvmEnding('poweroff'), s.info('poweroff'), ...s.removeWhen('poweroff')],
  'snapshots are taken, listed, restored and deleted': (s) => [
    s.vbox.snapshotList([]),
    s.vbox.snapshotList([]),
    s.vbox.snapshot('take', 'snap-1'),
    s.vbox.snapshotList(['snap-1']),
    s.vbox.snapshot('restore', 'snap-1'),
    s.info('poweroff'),
    s.vbox.call(['snapshot', UUID, 'restore', 'no-such-snapshot'], { exitCode: 1, stderr: out.snapshotNotFound('no-such-snapshot') }),
    s.vbox.snapshot('delete', 'snap-1'),
    s.vbox.snapshotList([]),
    ...s.removeWhen('poweroff'),
  ],
  'remove deletes the VM and its own files, and keeps the base image': (s) => [...s.removeWhen('poweroff'), s.vbox.showvminfoGone(), s.vbox.showvminfoGone()],
  'removing a running VM leaves no process behind': (s) => [s.info('running'), ...s.removeWhen('running'), s.vbox.showvminfoGone(), s.vbox.showvminfoGone()],
  "a VM deleted behind the plugin's back is not-created": (s) => [
    s.vbox.call(['showvminfo', UUID, '--machinereadable'], { stdout: out.showvminfoInaccessible(UUID), note: 'settings file gone' }),
    s.vbox.call(['showvminfo', UUID, '--machinereadable'], { stdout: out.showvminfoInaccessible(UUID), note: 'settings file gone' }),
    s.vbox.call(['unregistervm', UUID]),
  ],
};

function scenarioFor(title: string): (s: VBoxScript) => TranscriptStep[] {
  const text = title.slice(`${SUITE}: `.length);
  const scenario = scenarios[text];
  if (!scenario) throw new Error(`no VirtualBox transcript for the conformance test "${text}": record one in ${import.meta.url}`);
  return scenario;
}

hypervisorConformance(test, {
  name: SUITE,
  createPlugin: ({ t, vm, workDir, stage }) => {
    const paths = tempPaths();
    const id = vm?.id ?? 'conformance-none';
    const script = new VBoxScript(id, vm?.vmDir ?? join(paths.root, 'vms', id), workDir ?? paths.root, join(paths.runtimeDir, `vbox-${id}.sock`));
    const { plugin, runner } = virtualbox([...script.stage(stage), ...scenarioFor(t.title)(script)], { paths });
    // Registered before the suite's own teardown, so it runs after it: the removal is part of the transcript.
    t.teardown(async () => {
      await script.guest.powerOff();
      paths.cleanup();
      runner.assertDone();
    });
    return plugin;
  },
  makeImage: async (dir) => {
    const path = join(dir, 'disk.vmdk');
    writeFileSync(path, 'KDMV');
    return { path, format: 'vmdk' };
  },
});

test(`${SUITE}: a step the plugin does not take fails the test with the expected and actual argv`, async (t) => {
  const paths = tempPaths();
  t.teardown(() => paths.cleanup());
  const script = new VBoxScript('conformance-diff', join(paths.root, 'vms', 'x'), paths.root, join(paths.runtimeDir, 'vbox-x.sock'));
  const { plugin, runner } = virtualbox([script.vbox.showvminfo('running')], { paths });
  await t.throwsAsync(plugin.state({ id: 'conformance-diff', vmDir: join(paths.root, 'vms', 'x') }));
  const error = t.throws(() => runner.assertDone());
  t.regex(error?.message ?? '', /expected: run {3}\/usr\/bin\/VBoxManage showvminfo 4f1c2b3a-9d8e-4c7b-a6f5-0e1d2c3b4a59 --machinereadable/);
  t.regex(error?.message ?? '', /actual: {3}run {3}\/usr\/bin\/VBoxManage showvminfo twinbox-conformance-diff --machinereadable/);
  t.regex(error?.message ?? '', /first difference at argv\[2\]/);
});
