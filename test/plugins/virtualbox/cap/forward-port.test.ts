import { createServer, type Server } from 'node:net';
import test from 'ava';
import { freeLoopbackPort } from '../../../../plugins/virtualbox/driver/loopback-port.js';
import { virtualbox, type HarnessOptions } from '../support/harness.js';
import { demoFixture } from '../support/fixture.js';
import { VBoxSteps } from '../transcripts/vbox-steps.js';
import * as out from '../transcripts/vboxmanage-output.js';

const IP_PROPERTY = '/VirtualBox/GuestInfo/Net/0/V4/IP';

function setup(t: { teardown: (fn: () => void) => void }, options: HarnessOptions = {}) {
  const h = virtualbox([], options);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  return { ...h, fixture, vbox: new VBoxSteps(fixture), ref: { id: 'demo', vmDir: fixture.vmDir, data: { uuid: fixture.uuid } } };
}

/** A real listener on a loopback port, standing in for VirtualBox's NAT holding a rule's host port. */
async function holdPort(t: { teardown: (fn: () => Promise<void>) => void }): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return address.port;
}

test('a NAT guest port is forwarded from a free loopback port by a rule added to the running VM', async (t) => {
  const h = setup(t, { freePorts: [40123] });
  h.runner.append(h.vbox.showvminfo('running'), h.vbox.call(['controlvm', h.fixture.uuid, 'natpf1', 'twinbox-tcp-3389,tcp,127.0.0.1,40123,,3389']));
  t.deepEqual(await h.plugin.forwardPort(h.ref, 3389), { host: '127.0.0.1', port: 40123 });
  t.notThrows(() => h.runner.assertDone());
});

test('asking again reuses twinbox’s rule while VirtualBox holds its port: no duplicate rule', async (t) => {
  const held = await holdPort(t);
  const h = setup(t, { freePorts: [] });
  h.runner.append(h.vbox.showvminfo('running', {}, { forwardings: [`twinbox-tcp-3389,tcp,127.0.0.1,${held},,3389`] }));
  t.deepEqual(await h.plugin.forwardPort(h.ref, 3389), { host: '127.0.0.1', port: held });
  t.notThrows(() => h.runner.assertDone());
});

test('a rule whose port VirtualBox does not hold (taken by another program at start) is replaced on a new port', async (t) => {
  const dead = await freeLoopbackPort();
  const h = setup(t, { freePorts: [40200] });
  h.runner.append(
    h.vbox.showvminfo('running', {}, { forwardings: [`twinbox-tcp-3389,tcp,127.0.0.1,${dead},,3389`] }),
    h.vbox.call(['controlvm', h.fixture.uuid, 'natpf1', 'delete', 'twinbox-tcp-3389']),
    h.vbox.call(['controlvm', h.fixture.uuid, 'natpf1', 'twinbox-tcp-3389,tcp,127.0.0.1,40200,,3389']),
  );
  t.deepEqual(await h.plugin.forwardPort(h.ref, 3389), { host: '127.0.0.1', port: 40200 });
  t.notThrows(() => h.runner.assertDone());
});

test('twinbox’s rule changed to listen on every interface is put back on loopback', async (t) => {
  const held = await holdPort(t);
  const h = setup(t, { freePorts: [40201] });
  h.runner.append(
    h.vbox.showvminfo('running', {}, { forwardings: [`twinbox-tcp-3389,tcp,,${held},,3389`] }),
    h.vbox.call(['controlvm', h.fixture.uuid, 'natpf1', 'delete', 'twinbox-tcp-3389']),
    h.vbox.call(['controlvm', h.fixture.uuid, 'natpf1', 'twinbox-tcp-3389,tcp,127.0.0.1,40201,,3389']),
  );
  t.deepEqual(await h.plugin.forwardPort(h.ref, 3389), { host: '127.0.0.1', port: 40201 });
  t.notThrows(() => h.runner.assertDone());
});

test('the user’s own rules, even for the same guest port, are left alone', async (t) => {
  const held = await holdPort(t);
  const h = setup(t, { freePorts: [40202] });
  h.runner.append(
    h.vbox.showvminfo('running', {}, { forwardings: [`rdp,tcp,127.0.0.1,${held},,3389`, 'ssh,tcp,,2222,,22'] }),
    h.vbox.call(['controlvm', h.fixture.uuid, 'natpf1', 'twinbox-tcp-3389,tcp,127.0.0.1,40202,,3389']),
  );
  t.deepEqual(await h.plugin.forwardPort(h.ref, 3389), { host: '127.0.0.1', port: 40202 });
  t.notThrows(() => h.runner.assertDone());
});

test('each guest port has its own rule', async (t) => {
  const held = await holdPort(t);
  const h = setup(t, { freePorts: [40203] });
  h.runner.append(
    h.vbox.showvminfo('running', {}, { forwardings: [`twinbox-tcp-3389,tcp,127.0.0.1,${held},,3389`] }),
    h.vbox.call(['controlvm', h.fixture.uuid, 'natpf1', 'twinbox-tcp-22,tcp,127.0.0.1,40203,,22']),
  );
  t.deepEqual(await h.plugin.forwardPort(h.ref, 22), { host: '127.0.0.1', port: 40203 });
  t.notThrows(() => h.runner.assertDone());
});

test('a rule VirtualBox refuses to add is reported with its message', async (t) => {
  const h = setup(t, { freePorts: [40204] });
  h.runner.append(
    h.vbox.showvminfo('running'),
    h.vbox.call(['controlvm', h.fixture.uuid, 'natpf1', 'twinbox-tcp-3389,tcp,127.0.0.1,40204,,3389'], { exitCode: 1, stderr: out.natRuleExists() }),
  );
  const error = await t.throwsAsync(h.plugin.forwardPort(h.ref, 3389));
  t.like(error, { code: 'vboxmanage-failed' });
  t.regex(error?.message ?? '', /A NAT rule of this name already exists/);
  t.notThrows(() => h.runner.assertDone());
});

test('a bridged guest is reached at the address its Guest Additions report, on the same port', async (t) => {
  const h = setup(t);
  h.runner.append(
    h.vbox.showvminfo('running', {}, { nic: 'bridged' }),
    h.vbox.call(['guestproperty', 'get', h.fixture.uuid, IP_PROPERTY], { stdout: out.guestProperty('192.168.1.57') }),
  );
  t.deepEqual(await h.plugin.forwardPort(h.ref, 3389), { host: '192.168.1.57', port: 3389 });
  t.notThrows(() => h.runner.assertDone());
});

test('a bridged guest whose Guest Additions have reported no address yet cannot be reached', async (t) => {
  const h = setup(t);
  h.runner.append(
    h.vbox.showvminfo('running', {}, { nic: 'bridged' }),
    h.vbox.call(['guestproperty', 'get', h.fixture.uuid, IP_PROPERTY], { stdout: out.guestProperty(undefined) }),
  );
  t.is(await h.plugin.forwardPort(h.ref, 3389), undefined);
  t.notThrows(() => h.runner.assertDone());
});

test('a VM without networking, or not running, has nothing to forward to, and nothing is changed', async (t) => {
  const h = setup(t, { freePorts: [40205] });
  h.runner.append(h.vbox.showvminfo('running', {}, { nic: 'none' }), h.vbox.showvminfo('poweroff'), h.vbox.showvminfo('saved'));
  t.is(await h.plugin.forwardPort(h.ref, 3389), undefined);
  t.is(await h.plugin.forwardPort(h.ref, 3389), undefined);
  t.is(await h.plugin.forwardPort(h.ref, 3389), undefined);
  t.notThrows(() => h.runner.assertDone());
});

test('forwarding to a VM deleted behind twinbox’s back reports it gone', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfoGone());
  await t.throwsAsync(h.plugin.forwardPort(h.ref, 3389), { code: 'vm-not-found' });
  t.notThrows(() => h.runner.assertDone());
});

test('a guest port that is no TCP port is refused before anything runs', async (t) => {
  const h = setup(t);
  for (const port of [0, 65536, 33.5, -1]) await t.throwsAsync(h.plugin.forwardPort(h.ref, port), { code: 'invalid-argument', message: /is not a TCP port/ });
  t.notThrows(() => h.runner.assertDone());
});
