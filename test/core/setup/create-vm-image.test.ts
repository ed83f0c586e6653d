import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { DiskFormat, HypervisorCapabilities, HypervisorPlugin, ImportedImage, ImportImageRequest, VmSpec } from 'twinbox/plugin-api';
import type { StepData } from '../../../src/core/setup/journal.js';
import type { SetupRun } from '../../../src/core/setup/setup-run-context.js';
import type { StepContext } from '../../../src/core/setup/step-runner.js';
import { createVmStep } from '../../../src/core/setup/steps/create-vm.js';

interface Calls {
  imports: ImportImageRequest[];
  creates: VmSpec[];
  saved: StepData[];
}

/** A hypervisor that records what setup asks of it; `create` takes only `createFormats`. */
function recordingHypervisor(calls: Calls, capabilities: Partial<HypervisorCapabilities>): HypervisorPlugin {
  const caps: HypervisorCapabilities = { linkedClones: true, suspend: false, pause: false, snapshots: false, channels: true, importFormats: ['qcow2', 'vdi'], ...capabilities };
  return {
    kind: 'hypervisor',
    name: 'recorder',
    displayName: 'Recorder',
    simulated: true,
    capabilities: () => caps,
    state: async () => ({ state: 'not-created', reason: 'never made' }),
    importImage: async (request) => {
      calls.imports.push(request);
      return { path: join(request.destinationDir, 'base.vdi'), format: 'vdi', sizeBytes: 1 };
    },
    create: async (spec) => {
      calls.creates.push(spec);
      if (caps.createFormats && !caps.createFormats.includes(spec.image.format)) throw new Error(`create was given a ${spec.image.format} image`);
      return { id: spec.id, vmDir: spec.vmDir };
    },
  } as Partial<HypervisorPlugin> as HypervisorPlugin;
}

async function runStep(t: { teardown: (fn: () => Promise<void>) => void }, capabilities: Partial<HypervisorCapabilities>, saved?: StepData): Promise<Calls> {
  const dir = await mkdtemp(join(tmpdir(), 'twinbox-create-vm-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const imagePath = join(dir, 'store', 'image.qcow2');
  await mkdir(join(dir, 'store'));
  await writeFile(imagePath, 'base');
  const calls: Calls = { imports: [], creates: [], saved: [] };
  const hypervisor = recordingHypervisor(calls, capabilities);
  const run = {
    manifest: { vm: { memoryMiB: 512, cpus: 1, network: 'nat', display: 'none' }, guestAgent: { channel: 'org.qemu.guest_agent.0' }, image: { format: 'qcow2' as DiskFormat, os: 'linux' } },
    target: { id: 'office', vmDir: join(dir, 'vm') },
    entry: { imagePath, storeDir: join(dir, 'store') },
    ws: { name: 'office', scope: 'user', update: async () => undefined },
    upgrading: true,
    hypervisor: async () => hypervisor,
  } as unknown as SetupRun;
  const context = {
    step: 'vm',
    attempt: 1,
    timeoutMs: 60_000,
    signal: new AbortController().signal,
    saved,
    remainingMs: () => 60_000,
    save: async (data: StepData) => {
      calls.saved.push(data);
    },
    progress: () => undefined,
    log: () => undefined,
    ask: async () => '',
  } as StepContext;
  await createVmStep(run).run(context);
  return calls;
}

test('a format create takes is used as it is: no import', async (t) => {
  const calls = await runStep(t, { createFormats: ['qcow2', 'vdi'] });
  t.deepEqual(calls.imports, []);
  t.is(calls.creates.length, 1);
  t.like(calls.creates[0]!.image, { format: 'qcow2' });
  t.regex(calls.creates[0]!.image.path, /store[\\/]image\.qcow2$/);
});

test('a format create does not take is imported first, once, and create is asked once', async (t) => {
  const calls = await runStep(t, { createFormats: ['vdi'] });
  t.is(calls.imports.length, 1);
  t.like(calls.imports[0], { format: 'qcow2' });
  t.regex(calls.imports[0]!.destinationDir, /imported-recorder$/);
  t.is(calls.creates.length, 1, 'no create is tried with the store image first');
  t.like(calls.creates[0]!.image, { format: 'vdi' });
  t.like(calls.saved[0], { imported: { format: 'vdi' } }, 'the import is journalled before create');
});

test('a plugin that does not list createFormats (API 1.1) gets its image imported', async (t) => {
  const calls = await runStep(t, {});
  t.is(calls.imports.length, 1);
  t.is(calls.creates.length, 1);
  t.like(calls.creates[0]!.image, { format: 'vdi' });
});

test('an import journalled by an interrupted run is used again, not repeated', async (t) => {
  const imported: ImportedImage = { path: '/store/imported-recorder/base.vdi', format: 'vdi', sizeBytes: 1 };
  const calls = await runStep(t, { createFormats: ['vdi'] }, { imported: imported as unknown as StepData });
  t.deepEqual(calls.imports, []);
  t.deepEqual(calls.creates[0]!.image, imported);
});

test('a format the plugin can neither create from nor import fails clearly, before anything is asked of it', async (t) => {
  const error = await t.throwsAsync(runStep(t, { createFormats: ['vdi'], importFormats: ['vdi'] }));
  t.like(error, { code: 'image-format-unsupported' });
});
