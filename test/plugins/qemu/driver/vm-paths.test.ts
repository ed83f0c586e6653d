import test from 'ava';
import { isTwinboxError } from 'twinbox/plugin-api';
import { checkSocketPaths, consoleChannelName, consoleIndex, MAX_SOCKET_PATH, socketPaths, vmPaths } from '../../../../plugins/qemu/driver/vm-paths.js';

const vm = { id: 'dev', vmDir: '/data/vms/dev', channels: ['org.example.files', 'org.qemu.guest_agent.0'], consoles: 1 };

test('sockets live in a short per-VM runtime folder, numbered; files in the VM folder', (t) => {
  const paths = vmPaths(vm, '/run/tb');
  t.deepEqual(paths.channels, { 'org.qemu.guest_agent.0': '/run/tb/dev/ch0.sock', 'org.example.files': '/run/tb/dev/ch1.sock' });
  t.deepEqual(paths.consoles, ['/run/tb/dev/con0.sock']);
  t.is(paths.qmpSocket, '/run/tb/dev/qmp.sock');
  t.is(paths.pidFile, '/run/tb/dev/qemu.pid');
  t.is(paths.config, '/data/vms/dev/qemu-vm.json');
  t.is(paths.overlay, '/data/vms/dev/disk.qcow2');
  t.is(socketPaths(paths).length, 4);
});

test('console ports are reached as consoleN channels', (t) => {
  t.is(consoleChannelName(0), 'console0');
  t.is(consoleIndex('console12'), 12);
  t.is(consoleIndex('org.qemu.guest_agent.0'), undefined);
  t.is(consoleIndex('console'), undefined);
});

test('a socket path over the unix limit fails clearly, naming the path and the fix', (t) => {
  t.notThrows(() => checkSocketPaths(vmPaths(vm, '/tmp/x')));
  const longDir = `/tmp/${'d'.repeat(100)}`;
  const error = t.throws(() => checkSocketPaths(vmPaths(vm, longDir)));
  t.true(isTwinboxError(error));
  if (isTwinboxError(error)) {
    t.is(error.code, 'socket-path-too-long');
    t.regex(error.message, /unix sockets allow at most 107/);
    t.regex(error.hint ?? '', /XDG_RUNTIME_DIR|TWINBOX_HOME/);
  }
});

test('exactly 107 bytes is allowed, 108 is not', (t) => {
  // The longest socket is <runtimeDir>/v/con0.sock: 12 bytes after the runtime folder.
  const runtimeDir = `/${'a'.repeat(MAX_SOCKET_PATH - 12 - 1)}`;
  const atLimit = vmPaths({ ...vm, id: 'v' }, runtimeDir);
  t.is(Math.max(...socketPaths(atLimit).map((path) => Buffer.byteLength(path))), MAX_SOCKET_PATH);
  t.notThrows(() => checkSocketPaths(atLimit));
  t.throws(() => checkSocketPaths(vmPaths({ ...vm, id: 'v' }, `${runtimeDir}a`)), { code: 'socket-path-too-long' });
});
