import { createServer } from 'node:net';
import test from 'ava';
import { virtualbox } from '../support/harness.js';
import { demoFixture } from '../support/fixture.js';
import { virtualboxLifecycle } from '../transcripts/lifecycle.js';

test('the guest-agent channel is the serial port’s unix socket', async (t) => {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  const { ref } = virtualboxLifecycle(demoFixture(h.paths));
  // Stands in for VirtualBox, which listens on the socket while the VM runs.
  const server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(String(ref.data!['channel:org.qemu.guest_agent.0']), resolve));
  t.teardown(() => server.close());

  const channel = await h.plugin.openChannel(ref, 'org.qemu.guest_agent.0');
  const echoed = new Promise<string>((resolve) => channel.once('data', (data: Buffer) => resolve(data.toString())));
  channel.write('{"execute":"guest-ping"}\n');
  t.is(await echoed, '{"execute":"guest-ping"}\n');
  channel.destroy();
});

test('a channel nobody listens on (VM stopped) and an unknown channel are clear errors', async (t) => {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  const { ref } = virtualboxLifecycle(demoFixture(h.paths));
  const closed = await t.throwsAsync(h.plugin.openChannel(ref, 'org.qemu.guest_agent.0'));
  t.like(closed, { code: 'channel-unavailable', hint: 'start the VM first: VirtualBox opens the serial port while the VM runs' });
  await t.throwsAsync(h.plugin.openChannel(ref, 'com.example.other'), { code: 'channel-not-found' });
});

test('socket paths that unix sockets cannot hold are refused at creation', async (t) => {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  const long = virtualbox([], { paths: { ...h.paths, runtimeDir: `/tmp/${'x'.repeat(120)}` } });
  await t.throwsAsync(
    long.plugin.create({ id: 'demo', vmDir: fixture.vmDir, memoryMiB: 512, cpus: 1, network: 'nat', channels: ['org.qemu.guest_agent.0'], image: { path: '/b.vdi', format: 'vdi', sizeBytes: 1 } }),
    { code: 'socket-path-too-long' },
  );
});
