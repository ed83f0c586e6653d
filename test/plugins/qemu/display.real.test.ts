import { connect } from 'node:net';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { BOOT_TIMEOUT_MS, guarded, qemuMissing, realSetup, tinySpec } from './helpers/real-qemu.js';

const missing = qemuMissing();
const realTest = missing ? test.skip : test.serial;
if (missing) console.log(`real-QEMU display test skipped: ${missing}`);

function greeting(socket: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream = connect(socket);
    stream.once('data', (chunk: Buffer) => {
      stream.destroy();
      resolve(chunk.toString('latin1'));
    });
    stream.once('error', reject);
  });
}

realTest('a VM made with display "vnc" offers its screen as a VNC server on an owner-only unix socket while it runs', guarded(async (t, watch) => {
  t.timeout(5 * 60_000);
  const setup = await realSetup(t);
  const { plugin } = setup;
  const base = await plugin.importImage({ source: setup.image, format: 'qcow2', destinationDir: join(setup.home, 'images') });
  const vm = watch(await plugin.create(tinySpec(setup, 'screen', base.path, { display: 'vnc' })));
  t.teardown(() => plugin.remove(vm));
  t.is(await plugin.display(vm), undefined, 'no screen before it runs');

  await plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS });
  const display = (await plugin.display(vm))!;
  t.is(display.protocol, 'vnc');
  t.is(display.viewer, `remote-viewer vnc+unix://${display.address}`);
  t.is(await greeting(display.address), 'RFB 003.008\n', 'the socket speaks the VNC protocol');
  t.is(statSync(display.address).mode & 0o007, 0, 'other users cannot connect');

  await plugin.stop(vm, { force: true, timeoutMs: 30_000 });
  t.is(await plugin.display(vm), undefined, 'no screen once stopped');

  const plain = watch(await plugin.create(tinySpec(setup, 'plain', base.path)));
  t.teardown(() => plugin.remove(plain));
  await plugin.start(plain, { timeoutMs: BOOT_TIMEOUT_MS });
  t.is(await plugin.display(plain), undefined, 'a VM made without a display has none');
  await plugin.stop(plain, { force: true, timeoutMs: 30_000 });
}));
