import test from 'ava';
import { access, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { guestTerminalType, hangupCommand, newEndMarker, resizeCommand, streamingLaunchCommand, terminalLaunchCommand } from '../../../src/core/apps/guest-launch.js';
import { childrenNamed, ConsoleClient } from './helpers/console-client.js';
import { eventually, processAlive } from './helpers/fake-fixture.js';
import { runningVm } from './helpers/running-vm.js';
import { decode, type ExecStatus, type TinyQgaClient } from './helpers/tiny-qga-client.js';

/** Starts the real terminal-app wrapper through the agent; returns its pid for guest-exec-status. */
async function launch(agent: TinyQgaClient, index: number, command: string[], size = { rows: 24, cols: 80 }): Promise<number> {
  const { path, args } = terminalLaunchCommand(index, size, command);
  const { pid } = await agent.call<{ pid: number }>('guest-exec', { path, arg: args, 'capture-output': true });
  return pid;
}

async function finished(agent: TinyQgaClient, pid: number): Promise<ExecStatus> {
  for (;;) {
    const status = await agent.call<ExecStatus>('guest-exec-status', { pid });
    if (status.exited) return status;
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

test('a program on /dev/hvc0 talks with the host through console0 both ways, at the window size stty set', async (t) => {
  const { env, vm, root, connect } = await runningVm(t);
  const agent = await connect();
  const console0 = await ConsoleClient.open(t, env.fake, vm, 0);
  const pid = await launch(agent, 0, ['sh', '-c', 'tty; stty size; read line; echo "got [$line]"; exit 7'], { rows: 33, cols: 101 });
  const [, tty] = await console0.waitFor(/(\/dev\/pts\/[0-9]+)\r\n33 101\r\n/);
  t.is(await readlink(join(root, 'dev', 'hvc0')), tty, 'the guest sees the console as its dev/hvc0');
  // A terminal sends CR for Enter; the guest's line discipline makes it a newline and echoes it.
  console0.write('hello\r');
  await console0.waitFor(/hello\r\ngot \[hello\]\r\n/);
  const status = await finished(agent, pid);
  t.is(status.exitcode, 7);
  t.is(decode(status['out-data']), '', 'the program wrote to the console, not to the agent');
});

test('a streamed program’s exit is reported only once all it wrote to the console has reached the host', async (t) => {
  const { env, vm, connect } = await runningVm(t);
  const agent = await connect();
  const console0 = await ConsoleClient.open(t, env.fake, vm, 0);
  const marker = newEndMarker(Buffer.alloc(16, 7));
  const { path, args } = streamingLaunchCommand(0, ['sh', '-c', 'head -c 300000 /dev/zero | tr "\\0" x; echo; echo done; exit 5'], marker);
  const { pid } = await agent.call<{ pid: number }>('guest-exec', { path, arg: args, 'capture-output': true });
  const status = await finished(agent, pid);
  t.is(status.exitcode, 5);
  // No wait after the exit: the raw console passed every byte on as written, in order, and the
  // end marker after the last of them.
  t.is(console0.received, `${'x'.repeat(300_000)}\ndone\n${marker}`);
});

test('Ctrl-C typed on the console interrupts the program, as the line discipline sends SIGINT', async (t) => {
  const { env, vm, connect } = await runningVm(t);
  const agent = await connect();
  const console0 = await ConsoleClient.open(t, env.fake, vm, 0);
  const pid = await launch(agent, 0, ['sh', '-c', 'echo ready; exec sleep 100']);
  await console0.waitFor(/ready\r\n/);
  console0.write(Buffer.from([0x03]));
  const status = await finished(agent, pid);
  t.is(status.signal, 2, 'killed by SIGINT');
  await console0.waitFor(/\^C/);
});

test('a resize during a session reaches the program, and a hang-up ends it through a pid file in the guest’s own /tmp', async (t) => {
  const { env, vm, root, connect } = await runningVm(t);
  const agent = await connect();
  const console1 = await ConsoleClient.open(t, env.fake, vm, 1);
  const pid = await launch(agent, 1, ['sh', '-c', 'trap "exit 129" HUP; stty size; read _; stty size; sleep 100 & wait'], { rows: 20, cols: 70 });
  await console1.waitFor(/20 70\r\n/);
  const resize = resizeCommand(1, { rows: 45, cols: 132 });
  t.is((await agent.exec(resize.path, resize.args)).exitcode, 0);
  console1.write('\r');
  await console1.waitFor(/45 132\r\n/);

  const pidFile = join(root, 'tmp', 'twinbox-hvc1.pid');
  t.is((await readFile(pidFile, 'utf8')).trim(), String(pid), 'the wrapper wrote the program’s pid in the guest’s tmp');
  const hangup = hangupCommand(1);
  t.is((await agent.exec(hangup.path, hangup.args)).exitcode, 0);
  t.is((await finished(agent, pid)).exitcode, 129, 'the program got SIGHUP');
  t.false(await exists(pidFile), 'the hang-up removed the pid file');
});

test('a second session on the same port gets a fresh terminal once the first has ended, on the same connection or a new one', async (t) => {
  const { env, vm, connect } = await runningVm(t);
  const agent = await connect();
  const console0 = await ConsoleClient.open(t, env.fake, vm, 0);
  const first = await launch(agent, 0, ['sh', '-c', 'stty -echo; tty; echo one']);
  await console0.waitFor(/\/dev\/pts\/[0-9]+\r\none\r\n/);
  t.is((await finished(agent, first)).exitcode, 0);

  const second = await launch(agent, 0, ['sh', '-c', 'tty; stty -a | grep -o -- "-*echo " | head -n 1; read word; echo "two $word"']);
  // The first program turned echo off; the second session's terminal starts with it on again.
  await console0.waitFor(/one\r\n\/dev\/pts\/[0-9]+\r\necho \r\n/);
  console0.write('again\r');
  await console0.waitFor(/two again\r\n/);
  t.is((await finished(agent, second)).exitcode, 0);

  console0.close();
  const reconnected = await ConsoleClient.open(t, env.fake, vm, 0);
  const third = await launch(agent, 0, ['sh', '-c', 'echo three']);
  await reconnected.waitFor(/three\r\n/);
  t.is((await finished(agent, third)).exitcode, 0);
});

test('the four console ports are independent, a fifth does not exist, and one port serves one host at a time, the next in turn', async (t) => {
  const { env, vm, connect } = await runningVm(t);
  const agent = await connect();
  const ports = await Promise.all([0, 1, 2, 3].map((index) => ConsoleClient.open(t, env.fake, vm, index)));
  const pids = await Promise.all(ports.map((_, index) => launch(agent, index, ['sh', '-c', `echo "port ${index} up"; read line; echo "port ${index} read [$line]"`])));
  await Promise.all(ports.map((port, index) => port.waitFor(new RegExp(`port ${index} up\\r\\n`))));
  for (const [index, port] of [...ports.entries()].reverse()) port.write(`for ${index}\r`);
  for (const [index, port] of ports.entries()) {
    await port.waitFor(new RegExp(`port ${index} read \\[for ${index}\\]`));
    for (const other of [0, 1, 2, 3].filter((n) => n !== index)) t.false(port.received.includes(`for ${other}`), `port ${index} saw only its own input`);
  }
  for (const pid of pids) t.is((await finished(agent, pid)).exitcode, 0);

  const fifth = await t.throwsAsync(env.fake.openChannel(vm, 'console4'));
  t.like(fifth, { code: 'no-console-port', message: `VM ${vm.id} has no console4: it has 4 console ports (console0 to console3)` });
  t.like(await t.throwsAsync(env.fake.openChannel(vm, 'console01')), { code: 'unknown-channel' });
  const second = await ConsoleClient.open(t, env.fake, vm, 0);
  const during = await launch(agent, 0, ['sh', '-c', 'echo "for the first host"']);
  await ports[0]!.waitFor(/for the first host\r\n/);
  t.is((await finished(agent, during)).exitcode, 0);
  t.is(second.received, '', 'a second host on a busy port waits');
  ports[0]!.close();
  const after = await launch(agent, 0, ['sh', '-c', 'echo "for the second host"']);
  await second.waitFor(/^for the second host\r\n$/);
  t.is((await finished(agent, after)).exitcode, 0);

  await env.fake.stop(vm);
  t.like(await t.throwsAsync(env.fake.openChannel(vm, 'console0')), { code: 'vm-not-running' });
});

test('no socat outlives the VM: after a stop, after a crash, and after the guest process is killed', async (t) => {
  const { env, vm, connect } = await runningVm(t);
  const guestPid = (await env.fake.state(vm)).pid as number;
  const agent = await connect();
  await ConsoleClient.open(t, env.fake, vm, 0);
  const console2 = await ConsoleClient.open(t, env.fake, vm, 2);
  await launch(agent, 2, ['sh', '-c', 'echo up; exec sleep 100']);
  await console2.waitFor(/up\r\n/);
  let bridges: number[] = [];
  t.true(await eventually(async () => (bridges = await childrenNamed(guestPid, 'socat')).length === 2), 'one socat per connected port');
  agent.close();
  t.is((await env.fake.stop(vm)).how, 'graceful');
  for (const pid of bridges) t.false(await processAlive(pid), `socat ${pid} stopped with the VM`);

  await env.fake.setFaults(vm, { crashAfterMs: 3_000 });
  await env.fake.start(vm, { timeoutMs: 20_000 });
  const crashing = (await env.fake.state(vm)).pid as number;
  await ConsoleClient.open(t, env.fake, vm, 1);
  let crashBridges: number[] = [];
  t.true(await eventually(async () => (crashBridges = await childrenNamed(crashing, 'socat')).length > 0), 'the connection started a socat');
  t.true(await eventually(async () => (await env.fake.state(vm)).state === 'crashed', 15_000));
  t.is(crashBridges.length, 1);
  for (const pid of crashBridges) t.true(await eventually(async () => !(await processAlive(pid))), `socat ${pid} died with the crashed VM`);

  await env.fake.setFaults(vm, { crashAfterMs: undefined });
  await env.fake.start(vm, { timeoutMs: 20_000 });
  const killed = (await env.fake.state(vm)).pid as number;
  const agent2 = await connect();
  const console3 = await ConsoleClient.open(t, env.fake, vm, 3);
  const program = await launch(agent2, 3, ['sh', '-c', 'echo $$; exec sleep 100']);
  await console3.waitFor(/[0-9]+\r\n/);
  const killedBridges = await childrenNamed(killed, 'socat');
  t.is(killedBridges.length, 1, 'the session’s socat');
  // Only the guest process itself, as an OOM killer would: not its process group.
  process.kill(killed, 'SIGKILL');
  for (const pid of killedBridges) t.true(await eventually(async () => !(await processAlive(pid))), `socat ${pid} noticed its guest was gone`);
  t.true(await eventually(async () => !(await processAlive(program))), 'the program on the console was hung up');
});

test('a terminal app gets the host terminal’s TERM, or the closest common type the guest’s terminfo has', async (t) => {
  const { env, vm, connect } = await runningVm(t);
  const agent = await connect();
  const console0 = await ConsoleClient.open(t, env.fake, vm, 0);
  const run = async (term: string) => {
    const { path, args } = terminalLaunchCommand(0, { rows: 24, cols: 80 }, ['sh', '-c', 'echo "term=[$TERM]"'], term);
    const { pid } = await agent.call<{ pid: number }>('guest-exec', { path, arg: args, 'capture-output': true });
    return finished(agent, pid);
  };
  t.is((await run('screen-256color')).exitcode, 0);
  await console0.waitFor(/term=\[screen-256color\]\r\n/);
  // No terminfo entry of that name: a program would stop with "Error opening terminal".
  t.is((await run('no-such-terminal-type')).exitcode, 0);
  await console0.waitFor(/term=\[xterm-256color\]\r\n/);
});

test('a TERM that is not a terminfo name is not passed on to the guest', (t) => {
  t.is(guestTerminalType('xterm-kitty'), 'xterm-kitty');
  t.is(guestTerminalType('screen.xterm-256color'), 'screen.xterm-256color');
  t.is(guestTerminalType(undefined), 'xterm-256color');
  t.is(guestTerminalType(''), 'xterm-256color');
  t.is(guestTerminalType('xterm;reboot'), 'xterm-256color');
  t.is(guestTerminalType('-oProxyCommand'), 'xterm-256color');
});
