import test from 'ava';
import { isTwinboxError } from 'twinbox/plugin-api';
import { TranscriptMismatchError, TranscriptRunner } from '../../../src/testing/transcript-runner.js';

test('a command that differs from the transcript fails with expected and actual argv and the first difference', async (t) => {
  const runner = new TranscriptRunner([{ argv: ['VBoxManage', 'showvminfo', 'x', '--machinereadable'] }]);
  const error = await t.throwsAsync(runner.run('VBoxManage', ['showvminfo', 'x', '--details']), { instanceOf: TranscriptMismatchError });
  t.regex(error!.message, /transcript step 1 of 1: unexpected call/);
  t.regex(error!.message, /expected: run {3}VBoxManage showvminfo x --machinereadable/);
  t.regex(error!.message, /actual: {3}run {3}VBoxManage showvminfo x --details/);
  t.regex(error!.message, /first difference at argv\[3\]: expected "--machinereadable", got "--details"/);
  // Even when the code under test swallowed it, the end-of-test check reports it.
  t.throws(() => runner.assertDone(), { is: error });
});

test('required environment variables are checked', async (t) => {
  const runner = new TranscriptRunner([{ argv: ['tool'], env: { LANG: 'C' } }]);
  await t.throwsAsync(runner.run('tool', [], { env: { LANG: 'de_DE.UTF-8' } }), { message: /environment LANG: expected "C", got "de_DE.UTF-8"/ });
});

test('assertDone lists the steps that never happened', async (t) => {
  const runner = new TranscriptRunner([{ argv: ['a'] }, { argv: ['b', 'with space'], note: 'second' }]);
  await runner.run('a', []);
  const error = t.throws(() => runner.assertDone());
  t.regex(error!.message, /1 of 2 steps never happened/);
  t.regex(error!.message, /2\. run {3}b "with space" {2}\[second\]/);
});

test('recorded results, missing programs, detached processes and which()', async (t) => {
  const runner = new TranscriptRunner(
    [{ argv: ['vm', 'x'], exitCode: 3, stdout: 'out', stderr: 'err', timedOut: true }, { argv: ['gone'], notFound: true }, { detached: ['daemon', '-d'], pid: 77 }],
    { which: { vm: '/usr/bin/vm' } },
  );
  t.deepEqual(await runner.run('vm', ['x']), { command: 'vm', args: ['x'], exitCode: 3, stdout: 'out', stderr: 'err', timedOut: true });
  const missing = await t.throwsAsync(runner.run('gone', []));
  t.true(isTwinboxError(missing) && missing.code === 'command-not-found');
  t.is(await runner.spawnDetached('daemon', ['-d']), 77);
  t.is(await runner.which('vm'), '/usr/bin/vm');
  t.is(await runner.which('other'), undefined);
  t.notThrows(() => runner.assertDone());
});

function readUntil(stream: NodeJS.ReadableStream, text: string): Promise<string> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        stream.off('data', onData);
        resolve(seen);
      }
    };
    stream.on('data', onData);
  });
}

test('the scripted shell echoes markers, answers commands from the transcript and exits on request', async (t) => {
  const runner = new TranscriptRunner([{ spawn: ['pwsh', '-Command', '-'] }, { shell: 'Get-Date', stdout: '{"ok":true}\r\n' }], { shellChunkSize: 3 });
  const shell = runner.spawnLongLived('pwsh', ['-Command', '-']);
  const output = readUntil(shell.stdout, 'end-1\r\n');
  shell.stdin.write("Write-Output 'begin-1'\nGet-Date | ConvertTo-Json\nWrite-Output 'end-1'\n");
  t.is(await output, 'begin-1\r\n{"ok":true}\r\nend-1\r\n');
  shell.stdin.write('exit\n');
  t.is(await shell.exited, 0);
  t.notThrows(() => runner.assertDone());
});

test('a command the transcript does not expect makes the scripted shell die with the diff on stderr', async (t) => {
  const runner = new TranscriptRunner([{ spawn: ['pwsh'] }, { shell: /Start-VM/, stdout: '' }]);
  const shell = runner.spawnLongLived('pwsh', []);
  const stderr = readUntil(shell.stderr, 'unexpected call');
  shell.stdin.write('Stop-VM -Name x\n');
  t.regex(await stderr, /expected: shell \/Start-VM\//);
  t.is(await shell.exited, 1);
  t.throws(() => runner.assertDone(), { instanceOf: TranscriptMismatchError });
});

test('a hanging command keeps the shell busy until it is killed', async (t) => {
  const runner = new TranscriptRunner([{ spawn: ['pwsh'] }, { shell: 'Stop-VM', hang: true }]);
  const shell = runner.spawnLongLived('pwsh', []);
  let output = '';
  shell.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  shell.stdin.write("Stop-VM\nWrite-Output 'after'\n");
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.is(output, '');
  shell.kill();
  t.is(await shell.exited, null);
  t.notThrows(() => runner.assertDone());
});
