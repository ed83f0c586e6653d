import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { isTwinboxError } from '../../../src/plugin-api/index.js';
import fc from 'fast-check';
import { checkRemoteVersion, HOST_ADDRESS_PATTERN, hostAddressProblem, parseHostAddress, quoteForRemoteShell, sshFailure, sshInvocation } from '../../../src/core/remote/ssh-host.js';

test('ssh:// addresses parse into user, host and port', (t) => {
  t.deepEqual(parseHostAddress('ssh://build-7.example.com'), { user: undefined, host: 'build-7.example.com', port: undefined, address: 'ssh://build-7.example.com' });
  t.like(parseHostAddress('ssh://admin@10.0.0.7:2222'), { user: 'admin', host: '10.0.0.7', port: 2222 });
  t.like(parseHostAddress('ssh://ops.team@[fe80::1]:22/'), { user: 'ops.team', host: 'fe80::1', port: 22 });
});

test('addresses with shell metacharacters, option-looking hosts or other schemes are refused before ssh runs', (t) => {
  for (const address of [
    'ssh://-oProxyCommand=touch /tmp/x',
    'ssh://-oProxyCommand=id',
    'ssh://host;rm -rf ~',
    'ssh://$(id)@host',
    'ssh://us`er`@host',
    'ssh://host:0',
    'ssh://host:65536',
    'ssh://host:22x',
    'ssh://',
    'ssh://user@',
    'tcp://host',
    'host',
    'ssh://host/path',
    'ssh://a b',
  ]) {
    const error = t.throws(() => parseHostAddress(address), undefined, address);
    t.true(isTwinboxError(error) && error.exitCode === 2 && error.message.startsWith(`${JSON.stringify(address)} is not a host address`), `${address}: ${error?.message}`);
  }
});

test("each argument reaches the remote shell as one word, whatever it holds (checked by a real sh)", (t) => {
  const hostile = ['plain', "it's", 'two words', '$(id)', '`id`', '"quoted"', 'semi;colon', 'new\nline', '*', '', '\\back', "'", '--json'];
  const line = hostile.map(quoteForRemoteShell).join(' ');
  const out = execFileSync('sh', ['-c', `for a in ${line}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
  t.deepEqual(out.split('\0').slice(0, -1), hostile);
});

test('the ssh command line checks host keys as OpenSSH does, never prompts, and shares connections in the runtime folder', (t) => {
  const runtime = mkdtempSync(join(tmpdir(), 'tbx-ssh-'));
  t.teardown(() => rmSync(runtime, { recursive: true, force: true }));
  const { args } = sshInvocation(parseHostAddress('ssh://admin@example.org:2200'), runtime, ['twinbox', 'status', '--json']);
  t.deepEqual(args, [
    '-o', 'BatchMode=yes',
    '-o', 'ControlMaster=auto',
    '-o', `ControlPath=${join(runtime, 'ssh', '%C')}`,
    '-o', 'ControlPersist=60',
    '-o', 'ConnectTimeout=10',
    '-o', 'ServerAliveInterval=15',
    '-o', 'ServerAliveCountMax=2',
    '-T',
    '-p', '2200',
    '-l', 'admin',
    '--',
    'example.org',
    'twinbox status --json',
  ]);
  t.false(args.some((arg) => /StrictHostKeyChecking/i.test(arg)));
  t.is(execFileSync('stat', ['-c', '%a', join(runtime, 'ssh')], { encoding: 'utf8' }).trim(), '700');
});

test("ssh's own failures become one line with the fix", (t) => {
  const host = parseHostAddress('ssh://admin@example.org:2200');
  // OpenSSH's messages (sshconnect.c: "REMOTE HOST IDENTIFICATION HAS CHANGED", "Host key verification failed.").
  const changed = sshFailure(host, '@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@@@@\nHost key verification failed.\n');
  t.is(changed.code, 'host-key-mismatch');
  t.is(changed.exitCode, 4);
  t.regex(changed.hint ?? '', /ssh-keygen -R example\.org/);
  t.is(sshFailure(host, 'admin@example.org: Permission denied (publickey).\n').code, 'host-auth-failed');
  const refused = sshFailure(host, 'ssh: connect to host example.org port 2200: Connection refused\n');
  t.is(refused.code, 'host-unreachable');
  t.regex(refused.hint ?? '', /sshd listening on example\.org:2200/);
  // An alias whose port ~/.ssh/config sets: the port ssh tried, not 22.
  t.regex(sshFailure(parseHostAddress('ssh://lab'), 'ssh: connect to host 127.0.0.1 port 40022: Connection refused\n').hint ?? '', /sshd listening on lab:40022\?/);
  t.is(sshFailure(host, 'ssh: connect to host example.org port 2200: Connection timed out\n').exitCode, 5);
});

test('a host whose twinbox is older or of another major version is refused with both versions named', (t) => {
  const host = parseHostAddress('ssh://old-host');
  t.is(checkRemoteVersion(host, '0.1.0\n', '0.1.0'), '0.1.0');
  t.is(checkRemoteVersion(host, '0.4.2\n', '0.1.0'), '0.4.2');
  const old = t.throws(() => checkRemoteVersion(host, '0.0.9\n', '0.1.0'));
  t.is(old?.message, 'ssh://old-host runs twinbox 0.0.9, older than this twinbox 0.1.0 can drive (0.1.0 or newer, 0.x)');
  t.regex(t.throws(() => checkRemoteVersion(host, '1.0.0', '0.1.0'))?.message ?? '', /of another major version/);
  t.regex(t.throws(() => checkRemoteVersion(host, 'bash: hello', '0.1.0'))?.message ?? '', /not a version/);
});

test("the hosts setting's pattern accepts exactly the addresses --host accepts", (t) => {
  const piece = (good: string[], bad: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 6 }, { arbitrary: fc.constantFrom(...bad), weight: 1 }, { arbitrary: fc.string({ maxLength: 6 }), weight: 1 });
  const user = piece(['admin', 'ops.team', '_x', 'a-b'], ['', '1abc', 'a b', '$(id)', 'a@b']);
  const host = piece(['build-7.example.com', '10.0.0.7', '[fe80::1]', '[::1]', 'h'], ['-oProxyCommand=id', '', '[zz::1]', '[]', 'a_b', 'h;id', '[fe80::1']);
  const port = piece(['22', '2222', '65535', '1', '00022', '08080'], ['0', '65536', '000000', '22x', '', '-1', '099999']);
  const address = fc.tuple(fc.constantFrom('ssh://', 'ssh://', 'ssh://', 'tcp://', 'ssh:/', ''), fc.option(user), host, fc.option(port), fc.constantFrom('', '', '/', '/path', '//')).map(
    ([scheme, who, name, at, tail]) => `${scheme}${who === null ? '' : `${who}@`}${name}${at === null ? '' : `:${at}`}${tail}`,
  );
  let accepted = 0;
  fc.assert(
    fc.property(fc.oneof(address, fc.string()), (candidate) => {
      const parses = hostAddressProblem(candidate) === undefined;
      if (parses) accepted++;
      return parses === HOST_ADDRESS_PATTERN.test(candidate);
    }),
    { seed: 20261207, numRuns: 5000 },
  );
  t.log(`${accepted} good addresses`);
  t.true(accepted > 300, `only ${accepted} of the addresses tried were good ones`);
});
