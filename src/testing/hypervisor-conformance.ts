import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
// Types only: ava is a dev dependency of whoever runs the suite, never loaded by this module.
import type { ExecutionContext, TestFn } from 'ava';
import {
  DISK_FORMATS,
  isTwinboxError,
  pathExists,
  VM_STATES,
  type DiskFormat,
  type HypervisorPlugin,
  type ImportedImage,
  type VmRef,
  type VmSpec,
  type VmState,
} from '../plugin-api/index.js';

/** How far a test's fixture brings its VM before the test acts on it. */
export type ConformanceStage = 'none' | 'imported' | 'created' | 'running';

/**
 * What a test is about to do, for a `createPlugin` that must know it in advance (a plugin on
 * recorded transcripts needs the test's own transcript, with this VM's id and folders in it).
 */
export interface ConformanceTestContext {
  /** The running test: its title says which one; its teardown runs after the suite's own. */
  t: ExecutionContext;
  /** The VM the test works on (absent for tests that need none). */
  vm?: VmRef;
  /** The test's folder: the source image is made in `source/`, imported into `images/`. */
  workDir?: string;
  stage?: ConformanceStage;
}

export interface HypervisorConformanceOptions {
  /** Prefix of every test title, e.g. the plugin's name; defaults to "hypervisor". */
  name?: string;
  /** A fresh plugin instance, wired as the core would wire it. */
  createPlugin: (context: ConformanceTestContext) => Promise<HypervisorPlugin> | HypervisorPlugin;
  /** Writes a bootable image into `dir` (its format must be in the plugin's importFormats). */
  makeImage: (dir: string) => Promise<{ path: string; format: DiskFormat }>;
  /** A fresh empty folder for one test; the suite deletes it afterwards. Defaults to one under the OS temp folder. */
  workDir?: () => Promise<string>;
  /** How long a boot (and a guest shutdown) may take. Real guests need far longer than the fake. */
  bootTimeoutMs?: number;
}

const AGENT_CHANNEL = 'org.qemu.guest_agent.0';
const RESYNC_BYTE = 0xff;
/** The guest agent may not be listening yet when the channel opens: ask again this often. */
const RESYNC_RETRY_MS = 2_000;

interface Fixture {
  plugin: HypervisorPlugin;
  workDir: string;
  image: ImportedImage;
  imageDigest: string;
  spec: VmSpec;
  vm: VmRef;
}

async function digest(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}


async function processAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // A zombie has exited; only its parent has not collected it yet.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((done) => setTimeout(done, 50));
  }
}

/**
 * The QEMU guest agent handshake: 0xFF (the agent drops any partial input), then
 * guest-sync-delimited, whose reply follows a 0xFF byte. Everything before that byte is stale
 * and skipped. Resolves with the id the agent echoed.
 */
function resyncAgent(channel: Duplex, id: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let pending = Buffer.alloc(0);
    const request = Buffer.concat([
      Buffer.from([RESYNC_BYTE]),
      Buffer.from(`${JSON.stringify({ execute: 'guest-sync-delimited', arguments: { id } })}\n`),
    ]);
    const finish = (error?: Error) => {
      clearInterval(retry);
      clearTimeout(timer);
      channel.off('data', onData);
      channel.off('error', onError);
      if (error) reject(error);
      else resolve(id);
    };
    const onError = (error: Error) => finish(error);
    const onData = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const marker = pending.indexOf(RESYNC_BYTE);
        if (marker < 0) {
          pending = Buffer.alloc(0);
          return;
        }
        const newline = pending.indexOf(0x0a, marker);
        if (newline < 0) {
          pending = pending.subarray(marker);
          return;
        }
        const line = pending.subarray(marker + 1, newline).toString('utf8');
        pending = pending.subarray(newline + 1);
        try {
          if ((JSON.parse(line) as { return?: unknown }).return === id) {
            finish();
            return;
          }
        } catch {
          // Not our reply: keep looking.
        }
      }
    };
    const retry = setInterval(() => channel.write(request), RESYNC_RETRY_MS);
    const timer = setTimeout(() => finish(new Error(`no guest-sync-delimited reply within ${timeoutMs} ms`)), timeoutMs);
    channel.on('data', onData);
    channel.on('error', onError);
    channel.write(request);
  });
}

/** A failure users can act on: a TwinboxError with a code and a hint. */
async function assertClearError(t: ExecutionContext, action: Promise<unknown>, what: string): Promise<void> {
  let caught: unknown;
  try {
    await action;
  } catch (error) {
    caught = error;
  }
  t.true(isTwinboxError(caught), `${what} should fail with a TwinboxError, got ${String(caught)}`);
  if (isTwinboxError(caught)) {
    t.regex(caught.code, /^[a-z][a-z0-9-]*$/, `${what}: error code`);
    t.truthy(caught.hint, `${what}: error ${caught.code} should carry a hint`);
  }
}

/**
 * Registers the hypervisor plugin contract as serial ava tests. Everything goes through the
 * plugin API, so any hypervisor plugin (the fake, QEMU, VirtualBox…) can run the same suite;
 * what a plugin cannot do (per its capabilities) must fail with a clear error.
 */
export function hypervisorConformance(test: TestFn, options: HypervisorConformanceOptions): void {
  const bootTimeoutMs = options.bootTimeoutMs ?? 60_000;
  const testTimeoutMs = bootTimeoutMs * 4 + 30_000;
  // Titles are fixed when the tests are registered, before any plugin exists to ask its name.
  const title = (text: string) => `${options.name ?? 'hypervisor'}: ${text}`;
  const newWorkDir = async () => options.workDir?.() ?? mkdtemp(join(tmpdir(), 'twinbox-conformance-'));

  const newPlugin = async (context: ConformanceTestContext): Promise<HypervisorPlugin> => options.createPlugin(context);

  const fixture = async (t: ExecutionContext, stage: ConformanceStage): Promise<Fixture> => {
    t.timeout(testTimeoutMs);
    const workDir = await newWorkDir();
    const id = `conformance-${randomBytes(4).toString('hex')}`;
    const vm: VmRef = { id, vmDir: join(workDir, 'vms', id) };
    let plugin: HypervisorPlugin;
    try {
      plugin = await newPlugin({ t, vm, workDir, stage });
    } catch (error) {
      await rm(workDir, { recursive: true, force: true });
      throw error;
    }
    t.teardown(async () => {
      try {
        await plugin.remove(vm);
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    });
    const sourceDir = join(workDir, 'source');
    await mkdir(sourceDir, { recursive: true });
    const made = await options.makeImage(sourceDir);
    let image: ImportedImage = { path: made.path, format: made.format, sizeBytes: 0 };
    let imageDigest = '';
    if (stage !== 'none') {
      image = await plugin.importImage({ source: made.path, format: made.format, destinationDir: join(workDir, 'images') });
      imageDigest = await digest(image.path);
    }
    const spec: VmSpec = {
      id,
      image,
      vmDir: vm.vmDir,
      memoryMiB: 512,
      cpus: 1,
      network: 'nat',
      channels: [AGENT_CHANNEL],
    };
    if (stage === 'created' || stage === 'running') {
      const created = await plugin.create(spec);
      vm.data = created.data;
    }
    if (stage === 'running') await plugin.start(vm, { timeoutMs: bootTimeoutMs });
    return { plugin, workDir, image, imageDigest, spec, vm };
  };

  const assertState = async (t: ExecutionContext, plugin: HypervisorPlugin, vm: VmRef, expected: VmState, when: string) => {
    const status = await plugin.state(vm);
    t.is(status.state, expected, `state ${when} (reason: ${status.reason})`);
    t.true(typeof status.reason === 'string' && status.reason.length > 0, `a reason ${when}`);
    return status;
  };

  test.serial(title('detect() says whether the hypervisor is usable, and why'), async (t) => {
    const plugin = await newPlugin({ t });
    const availability = await plugin.detect();
    t.is(typeof availability.usable, 'boolean');
    t.true(typeof availability.reason === 'string' && availability.reason.trim().length > 0, 'detect() gives a reason');
    if (availability.version !== undefined) t.is(typeof availability.version, 'string');
  });

  test.serial(title('identity and capabilities are consistent'), async (t) => {
    const plugin = await newPlugin({ t });
    t.is(plugin.kind, 'hypervisor');
    t.regex(plugin.name, /^[a-z][a-z0-9-]{0,39}$/);
    t.true(plugin.displayName.length > 0);
    t.is(typeof plugin.simulated, 'boolean');
    const capabilities = plugin.capabilities();
    for (const key of ['linkedClones', 'suspend', 'pause', 'snapshots', 'channels'] as const) {
      t.is(typeof capabilities[key], 'boolean', `capabilities.${key} is a boolean`);
    }
    t.true(capabilities.importFormats.length > 0, 'at least one import format');
    for (const format of capabilities.importFormats) t.true((DISK_FORMATS as readonly string[]).includes(format), `${format} is a known disk format`);
    t.is(new Set(capabilities.importFormats).size, capabilities.importFormats.length, 'no format listed twice');
    for (const format of capabilities.createFormats ?? []) t.true((DISK_FORMATS as readonly string[]).includes(format), `${format} (createFormats) is a known disk format`);
    t.deepEqual(plugin.capabilities(), capabilities, 'capabilities do not change between calls');
  });

  test.serial(title('an unknown VM is not-created, and acting on it fails clearly'), async (t) => {
    const { plugin, workDir } = await fixture(t, 'none');
    const vm: VmRef = { id: 'conformance-missing', vmDir: join(workDir, 'vms', 'conformance-missing') };
    const status = await assertState(t, plugin, vm, 'not-created', 'of a VM never created');
    t.true(VM_STATES.includes(status.state));
    await assertClearError(t, plugin.start(vm, { timeoutMs: bootTimeoutMs }), 'starting an unknown VM');
  });

  test.serial(title('an imported image makes a VM that is stopped once created'), async (t) => {
    const { plugin, image, spec, vm } = await fixture(t, 'imported');
    t.true(await pathExists(image.path), 'the imported image exists');
    t.true(plugin.capabilities().importFormats.includes(image.format));
    const { createFormats } = plugin.capabilities();
    if (createFormats) t.true(createFormats.includes(image.format), `create takes what importImage made (${image.format} among ${createFormats.join(', ')})`);
    t.true(image.sizeBytes > 0, 'the imported image has a size');
    const created = await plugin.create(spec);
    t.is(created.id, spec.id);
    t.is(created.vmDir, spec.vmDir);
    // From here on the VM is known by the ref create() returned, as the core keeps it.
    vm.data = created.data;
    await assertState(t, plugin, vm, 'stopped', 'after create');
  });

  test.serial(title('a started VM is running and has a pid'), async (t) => {
    const { plugin, vm } = await fixture(t, 'running');
    const status = await assertState(t, plugin, vm, 'running', 'after start');
    t.true(Number.isInteger(status.pid) && (status.pid as number) > 0, `a pid while running (got ${status.pid})`);
  });

  test.serial(title('starting a running VM again is harmless or a clear error'), async (t) => {
    const { plugin, vm } = await fixture(t, 'running');
    const before = await plugin.state(vm);
    try {
      await plugin.start(vm, { timeoutMs: bootTimeoutMs });
    } catch (error) {
      t.true(isTwinboxError(error), `a second start fails, if at all, with a TwinboxError (got ${String(error)})`);
      if (isTwinboxError(error)) t.truthy(error.hint, 'with a hint');
    }
    const after = await assertState(t, plugin, vm, 'running', 'after a second start');
    t.is(after.pid, before.pid, 'the same VM process keeps running');
  });

  test.serial(title('a channel into the guest answers a guest-agent resync'), async (t) => {
    const { plugin, vm } = await fixture(t, 'running');
    if (!plugin.capabilities().channels) {
      await assertClearError(t, plugin.openChannel(vm, AGENT_CHANNEL), 'openChannel without the channels capability');
      return;
    }
    const channel = await plugin.openChannel(vm, AGENT_CHANNEL);
    t.teardown(() => {
      channel.destroy();
    });
    const id = 1 + Math.floor(Math.random() * 1_000_000);
    t.is(await resyncAgent(channel, id, bootTimeoutMs), id);
    await assertClearError(t, plugin.openChannel(vm, 'org.example.no-such-channel'), 'opening an unknown channel');
  });

  test.serial(title('metrics, where the plugin offers them, describe a running VM and none when it is stopped'), async (t) => {
    const { plugin, vm } = await fixture(t, 'running');
    if (!plugin.metrics) {
      t.is(plugin.metrics, undefined, 'no metrics capability: the dashboard shows "-"');
      return;
    }
    // A hypervisor that samples on its own (VirtualBox) may have nothing on the first ask.
    let reading = await plugin.metrics(vm);
    for (let ask = 0; ask < 3 && reading && reading.cpuSeconds === undefined && reading.cpuPercent === undefined && reading.memoryBytes === undefined; ask++) {
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      reading = await plugin.metrics(vm);
    }
    t.truthy(reading, 'a running VM has a reading');
    t.true(Number.isFinite(reading!.at), 'with the time it was read');
    const figures = [reading!.cpuSeconds, reading!.cpuPercent, reading!.memoryBytes].filter((figure) => figure !== undefined);
    t.true(figures.length > 0, `with a figure, a few seconds after asking (got ${JSON.stringify(reading)})`);
    for (const figure of figures) t.true(Number.isFinite(figure) && (figure as number) >= 0, `figures are numbers ≥ 0 (got ${JSON.stringify(reading)})`);
    if (reading!.memoryBytes !== undefined) t.true(reading!.memoryBytes > 0, 'a running VM holds memory');
    await plugin.stop(vm, { force: true });
    t.is(await plugin.metrics(vm), undefined, 'a stopped VM has no reading');
  });

  test.serial(title('a paused VM resumes running'), async (t) => {
    const { plugin, vm } = await fixture(t, 'running');
    if (!plugin.capabilities().pause) {
      await assertClearError(t, plugin.pause(vm), 'pause without the pause capability');
      return;
    }
    await plugin.pause(vm);
    await assertState(t, plugin, vm, 'paused', 'after pause');
    await plugin.resume(vm);
    await assertState(t, plugin, vm, 'running', 'after resume');
  });

  test.serial(title('a suspended VM resumes running'), async (t) => {
    const { plugin, vm } = await fixture(t, 'running');
    if (!plugin.capabilities().suspend) {
      await assertClearError(t, plugin.suspend(vm), 'suspend without the suspend capability');
      return;
    }
    await plugin.suspend(vm);
    const suspended = await assertState(t, plugin, vm, 'suspended', 'after suspend');
    t.is(suspended.pid, undefined, 'no VM process while suspended');
    await plugin.resume(vm);
    await assertState(t, plugin, vm, 'running', 'after resuming from suspend');
  });

  test.serial(title('a graceful stop leaves the VM stopped, and it starts again'), async (t) => {
    const { plugin, vm } = await fixture(t, 'running');
    const result = await plugin.stop(vm, { timeoutMs: bootTimeoutMs });
    t.true(result.how === 'graceful' || result.how === 'forced', `a running VM is stopped gracefully or forced (got ${result.how})`);
    if (result.how === 'forced') t.log('the guest did not shut down in time: stop fell back to power-off');
    await assertState(t, plugin, vm, 'stopped', 'after a graceful stop');
    t.deepEqual(await plugin.stop(vm), { how: 'already-stopped' }, 'stopping a stopped VM');
    await plugin.start(vm, { timeoutMs: bootTimeoutMs });
    await assertState(t, plugin, vm, 'running', 'after starting again');
  });

  test.serial(title('a forced stop powers the VM off'), async (t) => {
    const { plugin, vm } = await fixture(t, 'running');
    const { pid } = await plugin.state(vm);
    t.deepEqual(await plugin.stop(vm, { force: true }), { how: 'forced' });
    await assertState(t, plugin, vm, 'stopped', 'after a forced stop');
    if (pid !== undefined) t.true(await waitUntil(async () => !(await processAlive(pid)), 10_000), `VM process ${pid} is gone`);
  });

  test.serial(title('snapshots are taken, listed, restored and deleted'), async (t) => {
    const { plugin, vm } = await fixture(t, 'created');
    if (!plugin.capabilities().snapshots) {
      await assertClearError(t, plugin.createSnapshot(vm, 'snap-1'), 'a snapshot without the snapshots capability');
      return;
    }
    t.deepEqual(await plugin.listSnapshots(vm), [], 'a new VM has no snapshots');
    await plugin.createSnapshot(vm, 'snap-1');
    const listed = await plugin.listSnapshots(vm);
    t.deepEqual(
      listed.map((snapshot) => snapshot.name),
      ['snap-1'],
    );
    const createdAt = listed[0]?.createdAt;
    if (createdAt !== undefined) t.false(Number.isNaN(Date.parse(createdAt)), `createdAt is a date (${createdAt})`);
    await assertClearError(t, plugin.createSnapshot(vm, '../escape'), 'a snapshot name with a path in it');
    await plugin.restoreSnapshot(vm, 'snap-1');
    await assertState(t, plugin, vm, 'stopped', 'after restoring a snapshot');
    await assertClearError(t, plugin.restoreSnapshot(vm, 'no-such-snapshot'), 'restoring a missing snapshot');
    await plugin.deleteSnapshot(vm, 'snap-1');
    t.deepEqual(await plugin.listSnapshots(vm), [], 'no snapshots after deleting the only one');
  });

  test.serial(title('remove deletes the VM and its own files, and keeps the base image'), async (t) => {
    const { plugin, vm, image, imageDigest } = await fixture(t, 'created');
    await plugin.remove(vm);
    await assertState(t, plugin, vm, 'not-created', 'after remove');
    const left = (await pathExists(vm.vmDir)) ? await readdir(vm.vmDir) : [];
    t.deepEqual(left, [], 'nothing is left in the VM folder');
    t.true(await pathExists(image.path), 'the base image is still there');
    t.is(await digest(image.path), imageDigest, 'the base image is unchanged');
  });

  test.serial(title('removing a running VM leaves no process behind'), async (t) => {
    const { plugin, vm, image, imageDigest } = await fixture(t, 'running');
    const { pid } = await plugin.state(vm);
    await plugin.remove(vm);
    await assertState(t, plugin, vm, 'not-created', 'after removing a running VM');
    if (pid !== undefined) t.true(await waitUntil(async () => !(await processAlive(pid)), 10_000), `VM process ${pid} is gone`);
    t.is(await digest(image.path), imageDigest, 'the base image is unchanged');
  });

  test.serial(title("a VM deleted behind the plugin's back is not-created"), async (t) => {
    const { plugin, vm } = await fixture(t, 'created');
    await rm(vm.vmDir, { recursive: true, force: true });
    await assertState(t, plugin, vm, 'not-created', 'after its folder was deleted');
  });
}
