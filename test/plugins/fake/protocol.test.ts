import test from 'ava';
import { setTimeout as sleep } from 'node:timers/promises';
import { access } from 'node:fs/promises';
import { eventually, processAlive } from './helpers/fake-fixture.js';
import { runningVm } from './helpers/running-vm.js';
import { QgaReplyError } from './helpers/tiny-qga-client.js';

test('guest-sync-delimited answers 0xFF then the id; sync, ping and info answer', async (t) => {
  const { connect } = await runningVm(t);
  const client = await connect();
  client.write(Buffer.concat([Buffer.from([0xff]), Buffer.from('{"execute":"guest-sync-delimited","arguments":{"id":4711}}\n')]));
  const reply = await client.nextReply();
  t.deepEqual(reply, { return: 4711 });
  t.deepEqual([...client.received.subarray(0, 1)], [0xff], 'the reply starts with 0xFF');
  t.is(client.received.subarray(1).toString(), '{"return":4711}\n');

  t.is(await client.call('guest-sync', { id: 99 }), 99);
  t.deepEqual(await client.call('guest-ping'), {});
  const info = await client.call<{ version: string; supported_commands: { name: string; enabled: boolean; 'success-response': boolean }[] }>('guest-info');
  t.regex(info.version, /\S/);
  const names = info.supported_commands.map((command) => command.name);
  for (const name of ['guest-ping', 'guest-sync-delimited', 'guest-exec', 'guest-exec-status', 'guest-file-open', 'guest-get-osinfo', 'guest-shutdown']) {
    t.true(names.includes(name), `${name} is listed`);
  }
  t.false(info.supported_commands.find((command) => command.name === 'guest-shutdown')?.['success-response']);
  t.true(info.supported_commands.every((command) => command.enabled));
});

test('a 0xFF byte makes the agent drop partial input', async (t) => {
  const { connect } = await runningVm(t);
  const client = await connect();
  client.write('{"execute":"guest-exec","arguments":{"path":"/bin/tr');
  client.write(Buffer.from([0xff]));
  client.write('{"execute":"guest-ping"}');
  t.deepEqual(await client.nextReply(), { return: {} });
  await sleep(200);
  t.is(client.received.toString(), '{"return":{}}\n', 'only the ping was answered');
});

test('requests may arrive in pieces or several at once, with no newline', async (t) => {
  const { connect } = await runningVm(t);
  const client = await connect();
  for (const char of '{"execute":"guest-sync","arguments":{"id":7}}') {
    client.write(char);
    await sleep(2);
  }
  t.deepEqual(await client.nextReply(), { return: 7 });
  client.write('{"execute":"guest-sync","arguments":{"id":1}}{"execute":"guest-sync","arguments":{"id":2}} {"execute":"guest-sync","arguments":{"id":3}}');
  t.deepEqual([await client.nextReply(), await client.nextReply(), await client.nextReply()], [{ return: 1 }, { return: 2 }, { return: 3 }]);
  client.write('{"execute":"guest-sync","arguments":{"id":5},"id":"abc"}\n');
  t.deepEqual(await client.nextReply(), { return: 5, id: 'abc' }, 'a request id is echoed, as QMP does');
});

test('unknown commands get CommandNotFound and bad input a GenericError, and the agent carries on', async (t) => {
  const { connect } = await runningVm(t);
  const client = await connect();
  const notFound = await t.throwsAsync(client.call('guest-frobnicate'), { instanceOf: QgaReplyError });
  t.is(notFound?.errorClass, 'CommandNotFound');
  const missing = await t.throwsAsync(client.call('guest-exec-status'), { instanceOf: QgaReplyError });
  t.is(missing?.errorClass, 'GenericError');
  t.regex(missing?.desc ?? '', /pid/);
  client.write('{"arguments":{}}\n');
  t.like(await client.nextReply(), { error: { class: 'GenericError' } });
  client.write('hello there\n');
  t.like(await client.nextReply(), { error: { class: 'GenericError' } });
  client.write('{"execute": nonsense}\n');
  t.like(await client.nextReply(), { error: { class: 'GenericError' } });
  t.deepEqual(await client.call('guest-ping'), {});
});

test('os info, host name and time zone come from the guest', async (t) => {
  const { connect, vm } = await runningVm(t);
  const client = await connect();
  await client.sync();
  const os = await client.call<Record<string, string>>('guest-get-osinfo');
  t.like(os, { id: 'twinbox-fake', name: 'twinbox fake guest', 'pretty-name': 'twinbox fake guest (simulated)', 'version-id': '1' });
  t.regex(os['kernel-release'] ?? '', /\S/);
  t.regex(os.machine ?? '', /\S/);
  t.deepEqual(await client.call('guest-get-host-name'), { 'host-name': vm.id });
  const zone = await client.call<{ zone: number; name?: string }>('guest-get-timezone');
  t.is(typeof zone.zone, 'number');
});

test('clients may come one after another, and one that vanishes mid-request does no harm', async (t) => {
  const { connect } = await runningVm(t);
  const first = await connect();
  first.write('{"execute":"guest-exec","arguments":{"path":"sleep","arg":["0.2"],"capture-output":true}}');
  first.close();
  const second = await connect();
  await second.sync();
  t.deepEqual(await second.call('guest-ping'), {});
  second.close();
  await sleep(300);
  const third = await connect();
  await third.sync();
  t.deepEqual(await third.call('guest-ping'), {});
});

test('guest-shutdown gets no reply and stops the VM', async (t) => {
  const { env, vm, connect } = await runningVm(t);
  const { pid } = await env.fake.state(vm);
  const socketPath = `${env.paths.runtimeDir}/${vm.id}.qga`;
  await access(socketPath);
  const client = await connect();
  await client.sync();
  const before = client.received.length;
  client.write('{"execute":"guest-shutdown"}\n');
  t.true(await eventually(async () => (await env.fake.state(vm)).state === 'stopped'), 'the VM stops');
  t.is(client.received.length, before, 'no reply to guest-shutdown');
  const status = await env.fake.state(vm);
  t.is(status.reason, 'shut down by the guest');
  t.is(status.pid, undefined);
  await t.throwsAsync(access(socketPath), undefined, 'the socket is removed');
  t.true(await eventually(async () => !(await processAlive(pid as number))), 'the guest process has exited');
});
