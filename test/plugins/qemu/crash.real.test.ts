import { execFileSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { agent, BOOT_TIMEOUT_MS, consoleTail, guarded, qemuMissing, qemuProcessesUnder, realSetup, tinySpec } from './helpers/real-qemu.js';
import type { QemuHypervisor } from '../../../plugins/qemu/index.js';
import type { VmRef, VmState } from 'twinbox/plugin-api';

const missing = qemuMissing();
const realTest = missing ? test.skip : test.serial;
if (missing) console.log(`real-QEMU crash tests skipped: ${missing}`);

async function waitForState(plugin: QemuHypervisor, vm: VmRef, state: VmState, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await plugin.state(vm);
    if (status.state === state) return;
    if (Date.now() > deadline) throw new Error(`still ${status.state} (${status.reason}) after ${timeoutMs} ms, expected ${state}\n${consoleTail(vm)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

realTest('qemu killed behind twinbox’s back is crashed, and starts again', guarded(async (t, watch) => {
  t.timeout(10 * 60_000);
  const setup = await realSetup(t);
  const { plugin } = setup;
  const spec = tinySpec(setup, 'crashy', setup.image);
  const vm = watch(await plugin.create(spec));
  t.teardown(() => plugin.remove(vm));

  await plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS });
  const { pid } = await plugin.state(vm);
  t.truthy(pid);
  process.kill(pid as number, 'SIGKILL');
  await waitForState(plugin, vm, 'crashed', 10_000);
  t.is((await plugin.state(vm)).reason, `qemu process ${pid} is gone (not stopped by twinbox)`);
  await t.throwsAsync(plugin.openChannel(vm, 'org.qemu.guest_agent.0'), { code: 'vm-not-running' });

  await plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS });
  t.is((await plugin.state(vm)).state, 'running');
  const qga = await agent(plugin, vm);
  await qga.call('guest-ping');
  qga.close();
  t.deepEqual(await plugin.stop(vm, { force: true }), { how: 'forced' });
  t.like(await plugin.state(vm), { state: 'stopped', reason: 'stopped by twinbox' });
  t.deepEqual(qemuProcessesUnder(setup.home), []);
}));

realTest('a guest that shuts itself down is stopped; a hostname set in the guest survives the reboot', guarded(async (t, watch) => {
  t.timeout(10 * 60_000);
  const setup = await realSetup(t);
  const { plugin } = setup;
  const vm = watch(await plugin.create(tinySpec(setup, 'selfstop', setup.image)));
  t.teardown(() => plugin.remove(vm));

  await plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS });
  let qga = await agent(plugin, vm);
  t.is((await qga.exec('hostname', ['renamed-guest'])).exitCode, 0);
  t.deepEqual(await qga.call('guest-get-host-name'), { 'host-name': 'renamed-guest' });
  // guest-shutdown sends no reply: confirm through the hypervisor.
  qga.call('guest-shutdown', { mode: 'powerdown' }, 1_000).catch(() => undefined);
  await waitForState(plugin, vm, 'stopped', 30_000);
  t.regex((await plugin.state(vm)).reason, /guest shut down/);
  qga.close();

  await plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS });
  qga = await agent(plugin, vm);
  t.deepEqual(await qga.call('guest-get-host-name'), { 'host-name': 'renamed-guest' });
  qga.close();
  t.deepEqual(await plugin.stop(vm), { how: 'graceful' });
}));

realTest('a pid file whose pid now belongs to another program is not mistaken for the VM', guarded(async (t, watch) => {
  t.timeout(5 * 60_000);
  const setup = await realSetup(t);
  const { plugin } = setup;
  const vm = watch(await plugin.create(tinySpec(setup, 'reused', setup.image)));
  t.teardown(() => plugin.remove(vm));
  await plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS });
  const { pid } = await plugin.state(vm);
  process.kill(pid as number, 'SIGKILL');
  await waitForState(plugin, vm, 'crashed', 10_000);
  // Point the stale pid file at a live process that is not qemu: this test runner.
  writeFileSync(join(setup.runtimeDir, 'reused', 'qemu.pid'), `${process.pid}\n`);
  const status = await plugin.state(vm);
  t.is(status.state, 'crashed');
  t.regex(status.reason, new RegExp(`qemu process ${process.pid} is gone \\(the pid now belongs to`));
  t.deepEqual(await plugin.stop(vm), { how: 'already-stopped' }, 'the other program is left alone');
  t.is((await plugin.state(vm)).state, 'stopped');
}));

realTest("a start qemu refuses fails with qemu's message; a saved state that cannot load is dropped", guarded(async (t, watch) => {
  t.timeout(5 * 60_000);
  const setup = await realSetup(t);
  const { plugin } = setup;
  const base = await plugin.importImage({ source: setup.image, format: 'qcow2', destinationDir: join(setup.home, 'images') });
  const vm = watch(await plugin.create(tinySpec(setup, 'refused', base.path)));
  t.teardown(() => plugin.remove(vm));

  renameSync(base.path, `${base.path}.away`);
  const refused = await t.throwsAsync(plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS }));
  t.like(refused, { code: 'start-failed' });
  t.regex(refused?.message ?? '', /Could not open/);
  t.not((await plugin.state(vm)).state, 'crashed', 'a refused start is no crash');
  renameSync(`${base.path}.away`, base.path);

  await plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS });
  await plugin.suspend(vm);
  execFileSync('qemu-img', ['snapshot', '-d', 'twinbox-suspend', join(vm.vmDir, 'disk.qcow2')]);
  await t.throwsAsync(plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS }), { code: 'restore-failed' });
  t.is((await plugin.state(vm)).state, 'stopped');
  await plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS });
  t.is((await plugin.state(vm)).state, 'running');
  t.deepEqual(await plugin.stop(vm, { force: true }), { how: 'forced' });
}));
