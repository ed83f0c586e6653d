import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { twinbox } from '../helpers/cli.js';
import { forgetRuntimeDir, tempDir } from '../helpers/temp.js';

function world(t: ExecutionContext) {
  const root = tempDir(t, 'tbx-policy-shapes-');
  const home = join(root, 'home');
  forgetRuntimeDir(t, home);
  const policyDir = join(root, 'policy');
  mkdirSync(join(policyDir, 'policy.d'), { recursive: true });
  return { policyDir, run: (args: string[]) => twinbox(args, { TWINBOX_HOME: home, TWINBOX_POLICY_DIR: policyDir }) };
}

async function timed(run: () => Promise<{ exitCode: number; stdout: string; stderr: string }>) {
  const started = Date.now();
  const result = await run();
  return { ...result, ms: Date.now() - started };
}

const shapes: Array<[string, (file: string) => void, string]> = [
  ['a FIFO', (file) => execFileSync('mkfifo', [file]), 'not a regular file (a FIFO)'],
  ['a symlink to /dev/zero', (file) => symlinkSync('/dev/zero', file), 'not a regular file (a character device)'],
];

for (const [what, make, problem] of shapes) {
  test(`twinbox policy and status return at once when a policy file is ${what}, and refuse`, async (t) => {
    const w = world(t);
    const file = join(w.policyDir, 'policy.d', '10-org.json');
    make(file);
    const policy = await timed(() => w.run(['policy']));
    t.true(policy.ms < 5000, `twinbox policy took ${policy.ms} ms`);
    t.is(policy.exitCode, 0, policy.stderr);
    t.true(policy.stdout.includes(`${file}: malformed: ${problem}`), policy.stdout);

    const status = await timed(() => w.run(['status']));
    t.true(status.ms < 5000, `twinbox status took ${status.ms} ms`);
    t.is(status.exitCode, 4, status.stderr);
    t.true(status.stderr.includes(`${file}, which is malformed (${problem})`), status.stderr);
  });
}

test('a policy value nested 5,000 arrays deep is a clear refusal, not a stack overflow', async (t) => {
  const w = world(t);
  const file = join(w.policyDir, 'policy.json');
  writeFileSync(file, `{"vm.network": ${'['.repeat(5000)}${']'.repeat(5000)}}`);
  for (const args of [['policy'], ['status'], ['policy', '--json']]) {
    const result = await w.run(args);
    t.false(/Maximum call stack|unexpected error/.test(result.stdout + result.stderr), args.join(' '));
    t.true((result.stdout + result.stderr).includes('nested deeper than 64 levels'), `${args.join(' ')}: ${result.stdout}${result.stderr}`);
  }
  t.is((await w.run(['status'])).exitCode, 4);
});

test('a policy.d that is a regular file refuses, exit 4, instead of showing no policy', async (t) => {
  const w = world(t);
  execFileSync('rmdir', [join(w.policyDir, 'policy.d')]);
  writeFileSync(join(w.policyDir, 'policy.d'), '{}');
  const status = await w.run(['status']);
  t.is(status.exitCode, 4);
  t.true(status.stderr.includes('policy.d, which is malformed (is not a folder)'), status.stderr);
  const policy = await w.run(['policy']);
  t.false(policy.stdout.includes('(none)'), policy.stdout);
});
