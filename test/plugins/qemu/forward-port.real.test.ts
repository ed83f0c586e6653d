import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import { hmp } from '../../../plugins/qemu/qmp/hmp.js';
import { withQmp } from '../../../plugins/qemu/qmp/qmp-connection.js';
import { agent, BOOT_TIMEOUT_MS, guarded, qemuMissing, realSetup, tinySpec } from './helpers/real-qemu.js';
import type { TestQgaClient } from './helpers/qga-client.js';

const missing = qemuMissing();
const realTest = missing ? test.skip : test.serial;
if (missing) console.log(`real-QEMU port forwarding test skipped: ${missing}`);

/** A one-shot server in the guest: greets, stores the line it gets in /tmp/received, answers. */
const SERVE = '#!/bin/sh\necho "hello from $(hostname)"\nread -r line\necho "$line" > /tmp/received\necho "got it"\n';

async function listenInGuest(qga: TestQgaClient, port: number): Promise<void> {
  await qga.exec('/bin/sh', ['-c', `printf '%s' "$1" > /tmp/serve && chmod 755 /tmp/serve`, 'sh', SERVE]);
  // Not captured: guest-exec returns at once and nc keeps listening in the background.
  await qga.call('guest-exec', { path: '/bin/busybox', arg: ['nc', '-l', '-p', String(port), '-e', '/tmp/serve'] });
  for (let tries = 0; tries < 50; tries++) {
    if ((await qga.exec('/bin/sh', ['-c', `netstat -ltn | grep -q ':${port} '`])).exitCode === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listens on guest port ${port}`);
}

function lines(socket: Socket): () => Promise<string> {
  let buffer = '';
  const waiting: ((line: string) => void)[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0 && waiting.length > 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      waiting.shift()?.(line);
    }
  });
  return () =>
    new Promise((resolve) => {
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        resolve(line);
      } else {
        waiting.push(resolve);
      }
    });
}

function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

realTest('forwardPort reaches a TCP port of the guest through a loopback port, once per run, gone after a restart', guarded(async (t, watch) => {
  t.timeout(8 * 60_000);
  const setup = await realSetup(t);
  const { plugin } = setup;
  const base = await plugin.importImage({ source: setup.image, format: 'qcow2', destinationDir: join(setup.home, 'images') });

  const offline = await plugin.create(tinySpec(setup, 'offline', base.path));
  t.teardown(() => plugin.remove(offline));
  t.is(await plugin.forwardPort(offline, 3389), undefined, 'network "none": nothing to forward to');

  const vm = watch(await plugin.create(tinySpec(setup, 'fwd', base.path, { network: 'nat' })));
  t.teardown(() => plugin.remove(vm));
  await t.throwsAsync(plugin.forwardPort(vm, 3389), { code: 'vm-not-running' });
  await t.throwsAsync(plugin.forwardPort(vm, 0), { code: 'invalid-port' });
  await t.throwsAsync(plugin.forwardPort(vm, 70_000), { code: 'invalid-port' });

  await plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS });
  const qga = await agent(plugin, vm);
  t.teardown(() => qga.close());
  await listenInGuest(qga, 3389);

  const forwarded = await plugin.forwardPort(vm, 3389);
  t.is(forwarded?.host, '127.0.0.1');
  const port = forwarded!.port;
  t.true(port > 0 && port < 65_536);

  const socket = await open('127.0.0.1', port);
  const next = lines(socket);
  t.is(await next(), 'hello from tiny-guest', 'bytes from the guest reach the host');
  const token = `from-host-${randomBytes(6).toString('hex')}`;
  socket.write(`${token}\n`);
  t.is(await next(), 'got it');
  socket.destroy();
  t.is((await qga.exec('/bin/cat', ['/tmp/received'])).stdout.trim(), token, 'bytes from the host reach the guest');

  t.deepEqual(await plugin.forwardPort(vm, 3389), { host: '127.0.0.1', port }, 'a second call returns the same port');
  const other = await plugin.forwardPort(vm, 8080);
  t.not(other?.port, port, 'another guest port gets its own host port');
  const usernet = await withQmp(join(setup.runtimeDir, 'fwd', 'qmp.sock'), (qmp) => hmp(qmp, 'info usernet', 10_000));
  const rules = usernet.split('\n').filter((line) => line.includes('HOST_FORWARD'));
  t.is(rules.length, 2, usernet);
  t.true(rules.every((line) => /\b127\.0\.0\.1\b/.test(line)), 'bound to loopback only');
  t.is(rules.filter((line) => new RegExp(`\\s${port}\\s+10\\.0\\.2\\.15\\s+3389\\s`).test(line)).length, 1, 'no duplicate rule');
  t.is(statSync(join(setup.runtimeDir, 'fwd', 'forwards.json')).mode & 0o777, 0o600);

  qga.close();
  await plugin.stop(vm, { force: true, timeoutMs: 30_000 });
  await plugin.start(vm, { timeoutMs: BOOT_TIMEOUT_MS });
  await t.throwsAsync(open('127.0.0.1', port), { code: 'ECONNREFUSED' }, 'the old port no longer answers');
  const again = await plugin.forwardPort(vm, 3389);
  t.is(again?.host, '127.0.0.1', 'a restarted VM gets a new rule');
  const usernetAgain = await withQmp(join(setup.runtimeDir, 'fwd', 'qmp.sock'), (qmp) => hmp(qmp, 'info usernet', 10_000));
  t.is(usernetAgain.split('\n').filter((line) => line.includes('HOST_FORWARD')).length, 1, usernetAgain);
  await plugin.stop(vm, { force: true, timeoutMs: 30_000 });
}));
