import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { errorLines, newHome } from '../core/package/helpers/cli-home.js';
import { sampleImage, writeWorkspaceFolder } from '../core/package/helpers/workspace-folder.js';
import { runUntil } from '../core/package/helpers/run-until.js';

test('pack writes the metadata first, then the image and the scripts, and fills in image.sha256', async (t) => {
  const home = newHome(t);
  const folder = writeWorkspaceFolder(join(home.dir, 'ws'), { scripts: { 'setup/one.sh': 'echo one\n', 'setup/two.sh': 'echo two\n' } });
  const result = await home.run(['pack', folder, '--out', join(home.dir, 'ws.twbx'), '--json']);
  t.is(result.exitCode, 0, result.stderr);
  const packed = JSON.parse(result.stdout) as { image: { sha256: string }; sha256: string; signed: boolean };
  t.is(packed.image.sha256, createHash('sha256').update(sampleImage()).digest('hex'));
  t.is(packed.sha256, createHash('sha256').update(readFileSync(join(home.dir, 'ws.twbx'))).digest('hex'));
  t.false(packed.signed);
  const out = join(home.dir, 'unpacked');
  mkdirSync(out);
  execFileSync('tar', ['-xf', join(home.dir, 'ws.twbx'), '-C', out]);
  t.deepEqual(execFileSync('tar', ['-tf', join(home.dir, 'ws.twbx')], { encoding: 'utf8' }).trim().split('\n'), [
    'workspace.json',
    'SHA256SUMS',
    'disk.img',
    'setup/one.sh',
    'setup/two.sh',
  ]);
  const manifest = JSON.parse(readFileSync(join(out, 'workspace.json'), 'utf8')) as { image: { sha256: string } };
  t.is(manifest.image.sha256, packed.image.sha256);
  execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: out });
  t.false(existsSync(join(home.dir, 'ws.twbx.partial')));
});

test('pack prints plain progress lines on stderr when it is not a terminal', async (t) => {
  const home = newHome(t);
  const folder = writeWorkspaceFolder(join(home.dir, 'ws'), { sparseImageBytes: 64 * 1024 * 1024 });
  const result = await home.run(['pack', folder, '--out', join(home.dir, 'ws.twbx')]);
  t.is(result.exitCode, 0, result.stderr);
  const lines = result.stderr.trim().split('\n');
  t.true(lines.includes('hashing disk.img: 100%'));
  t.true(lines.includes('packing disk.img: 50%'));
  t.is(lines.at(-1), 'packing disk.img: 100%');
  t.true(lines.every((line) => /^(hashing|packing) disk\.img: \d+0%$/.test(line)), result.stderr);
});

test('pack keeps the zeros of a sparse image as holes in an uncompressed package', async (t) => {
  const home = newHome(t);
  const folder = writeWorkspaceFolder(join(home.dir, 'ws'), { sparseImageBytes: 256 * 1024 * 1024 });
  t.is((await home.run(['pack', folder, '--out', join(home.dir, 'ws.twbx')])).exitCode, 0);
  const info = statSync(join(home.dir, 'ws.twbx'));
  t.true(info.size > 256 * 1024 * 1024);
  t.true(info.blocks * 512 < 8 * 1024 * 1024, `allocated ${info.blocks * 512} bytes`);
});

test('pack refuses a workspace.json that breaks the schema with exit 3, naming each field', async (t) => {
  const home = newHome(t);
  const folder = writeWorkspaceFolder(join(home.dir, 'ws'), { manifest: { name: 'Bad Name', setup: { computerName: 'no spaces allowed', maxRetries: 99 } } });
  const result = await home.run(['pack', folder, '--out', join(home.dir, 'ws.twbx')]);
  t.is(result.exitCode, 3);
  const [line] = errorLines(result.stderr);
  t.regex(line!, /workspace\.json does not match the schema: /);
  t.regex(line!, /name: use 1–40 lowercase letters/);
  t.regex(line!, /setup\.computerName: /);
  t.regex(line!, /setup\.maxRetries: /);
  t.deepEqual(readdirSync(home.dir).filter((name) => name.startsWith('ws.twbx')), []);
});

test('pack refuses an image that does not match the sha256 in workspace.json and leaves no partial file', async (t) => {
  const home = newHome(t);
  const folder = writeWorkspaceFolder(join(home.dir, 'ws'), { manifest: { image: { sha256: '0'.repeat(64) } } });
  const result = await home.run(['pack', folder, '--out', join(home.dir, 'ws.twbx')]);
  t.is(result.exitCode, 3);
  t.regex(errorLines(result.stderr)[0]!, /image\.sha256 in workspace\.json does not match disk\.img \(its sha256 is [0-9a-f]{64}\)/);
  t.deepEqual(readdirSync(home.dir).filter((name) => name.startsWith('ws.twbx')), []);
});

test('pack refuses an image file that is missing with exit 2', async (t) => {
  const home = newHome(t);
  const folder = join(home.dir, 'ws');
  mkdirSync(folder);
  writeFileSync(join(folder, 'workspace.json'), JSON.stringify({ name: 'hello', version: '1.0.0', image: { file: 'disk.img', format: 'raw' } }));
  const result = await home.run(['pack', folder, '--out', join(home.dir, 'ws.twbx')]);
  t.is(result.exitCode, 2);
  t.regex(errorLines(result.stderr)[0]!, /^twinbox: image\.file names disk\.img, which is not in .*ws$/);
});

test('pack without --out is a usage error', async (t) => {
  const home = newHome(t);
  const result = await home.run(['pack', home.dir]);
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /^twinbox pack: --out FILE is required\n/);
});

test('pack refuses a signing key that is not an ed25519 private key with exit 2', async (t) => {
  const home = newHome(t);
  const folder = writeWorkspaceFolder(join(home.dir, 'ws'));
  writeFileSync(join(home.dir, 'not-a-key'), 'hello');
  const result = await home.run(['pack', folder, '--out', join(home.dir, 'ws.twbx'), '--sign', join(home.dir, 'not-a-key')]);
  t.is(result.exitCode, 2);
  t.regex(errorLines(result.stderr)[0]!, /the signing key .*not-a-key is not a PEM private key/);
});

test('Ctrl-C during pack removes the partial file and exits 130', async (t) => {
  const home = newHome(t);
  const folder = writeWorkspaceFolder(join(home.dir, 'ws'), { sparseImageBytes: 1024 ** 3 });
  const out = join(home.dir, 'ws.twbx');
  const result = await runUntil(['pack', folder, '--out', out, '--gzip'], home.env, /^packing disk\.img: [1-8]0%$/m, 'SIGINT');
  t.is(result.exitCode, 130, result.stderr);
  t.regex(result.stderr, /twinbox: pack interrupted; .*ws\.twbx\.partial was removed/);
  t.false(existsSync(out));
  t.false(existsSync(`${out}.partial`));
});

test('keygen writes an owner-only private key and a public key, and never overwrites them', async (t) => {
  const home = newHome(t);
  const key = join(home.dir, 'signing.key');
  const result = await home.run(['keygen', '--out', key, '--json']);
  t.is(result.exitCode, 0, result.stderr);
  t.like(JSON.parse(result.stdout), { privateKeyFile: key, publicKeyFile: `${key}.pub` });
  t.is(statSync(key).mode & 0o777, 0o600);
  t.regex(readFileSync(key, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
  t.regex(readFileSync(`${key}.pub`, 'utf8'), /^-----BEGIN PUBLIC KEY-----\n/);
  const before = readFileSync(key, 'utf8');
  const again = await home.run(['keygen', '--out', key]);
  t.is(again.exitCode, 2);
  t.regex(errorLines(again.stderr)[0]!, /signing\.key already exists; keygen never overwrites a key/);
  t.is(readFileSync(key, 'utf8'), before);
});
