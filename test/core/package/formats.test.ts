import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { ImageProbe } from '../../../src/core/package/image-probe.js';
import { findSigner, signPackage } from '../../../src/core/package/signature.js';
import { SparseFileWriter } from '../../../src/core/package/sparse-file-writer.js';
import { formatSums, parseSums } from '../../../src/core/package/sums.js';
import { loadTrustPolicy } from '../../../src/core/package/trust-policy.js';
import { tempDir } from '../../helpers/temp.js';

const HASH = 'a'.repeat(64);

test('SHA256SUMS is written in sha256sum format and read back', (t) => {
  const sums = new Map([['workspace.json', HASH], ['disk.img', 'b'.repeat(64)]]);
  t.is(formatSums(sums), `${HASH}  workspace.json\n${'b'.repeat(64)}  disk.img\n`);
  t.deepEqual(parseSums(formatSums(sums)), sums);
});

test('malformed or repeated SHA256SUMS lines are reported with the line', (t) => {
  t.is(parseSums(`${HASH}  a\nnot a sum\n`), 'line 2 is not "<sha256>  <path>"');
  t.is(parseSums(`${HASH}  a\n${HASH}  a\n`), '"a" is listed twice');
  t.is(parseSums(`${HASH.toUpperCase()}  a\n`), 'line 1 is not "<sha256>  <path>"');
});

test('a signature verifies with its own key and with no other', (t) => {
  const signer = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const manifest = Buffer.from('{"name":"x"}');
  const sums = Buffer.from(`${HASH}  workspace.json\n`);
  const signature = signPackage(signer.privateKey, manifest, sums);
  const keys = [{ key: other.publicKey, id: 'other' }, { key: signer.publicKey, id: 'signer' }];
  t.is(findSigner(signature, manifest, sums, keys)?.id, 'signer');
  t.is(findSigner(signature, manifest, sums, [keys[0]!]), undefined);
  t.is(findSigner(signature, Buffer.from('{"name":"y"}'), sums, keys), undefined, 'a changed manifest breaks it');
  t.is(findSigner(Buffer.from('garbage'), manifest, sums, keys), undefined);
});

test('trusted keys are read from inline PEM text and from files, and a bad entry is named', (t) => {
  const dir = tempDir(t);
  const inline = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const file = join(dir, 'key.pub');
  writeFileSync(file, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
  const policy = loadTrustPolicy(true, [inline, file]);
  t.deepEqual(policy.trustedKeys.map((key) => key.source), ['settings', file]);
  t.regex(policy.trustedKeys[0]!.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  t.throws(() => loadTrustPolicy(false, [inline, join(dir, 'missing.pub')]), { message: /security\.trustedKeys\[1\]: cannot read .*missing\.pub \(ENOENT\)/ });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  t.throws(() => loadTrustPolicy(false, [rsa]), { message: /security\.trustedKeys\[0\]: the inline key is an rsa key, not ed25519/ });
  t.throws(() => loadTrustPolicy('yes', []), { message: /security\.requireSignature setting must be true or false/ });
});

function probe(head: Buffer, size = 4096): ImageProbe {
  const image = Buffer.alloc(size);
  head.copy(image);
  const result = new ImageProbe();
  result.push(image);
  return result;
}

test('the image format is checked against the image\'s own magic bytes', (t) => {
  t.is(probe(Buffer.from('QFI\xfb', 'latin1')).mismatch('qcow2'), undefined);
  t.is(probe(Buffer.from('vhdxfile')).mismatch('vhdx'), undefined);
  t.is(probe(Buffer.from('KDMV')).mismatch('vmdk'), undefined);
  const vdi = Buffer.alloc(0x48);
  vdi.writeUInt32LE(0xbeda107f, 0x40);
  t.is(probe(vdi).mismatch('vdi'), undefined);
  t.is(probe(Buffer.from('plain data')).mismatch('raw'), undefined);
  t.is(probe(Buffer.from('QFI\xfb', 'latin1')).mismatch('raw'), 'image.format says raw but the image is a qcow2 image');
  t.is(probe(Buffer.from('plain data')).mismatch('qcow2'), 'image.format says qcow2 but the image does not start like a qcow2 image');
  t.is(probe(Buffer.from('plain data')).headMismatch('vhd'), undefined, 'vhd waits for the footer');
});

test('a fixed VHD is recognised by the footer in its last 512 bytes', (t) => {
  const image = Buffer.alloc(8192);
  image.write('conectix', 8192 - 512, 'latin1');
  const result = new ImageProbe();
  result.push(image.subarray(0, 5000));
  result.push(image.subarray(5000));
  t.is(result.mismatch('vhd'), undefined);
  t.regex(probe(Buffer.from('no footer')).mismatch('vhd')!, /no VHD footer/);
});

test('the sparse writer leaves zeros as holes and keeps the exact length', async (t) => {
  const dir = tempDir(t);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'sparse.img');
  const writer = await SparseFileWriter.create(path, { mode: 0o600, exclusive: true });
  await writer.write(Buffer.alloc(16 * 1024 * 1024));
  await writer.write(Buffer.from('data in the middle'));
  await writer.write(Buffer.alloc(16 * 1024 * 1024));
  await writer.close({ sync: true });
  const info = statSync(path);
  t.is(info.size, 32 * 1024 * 1024 + 18);
  t.true(info.blocks * 512 < 1024 * 1024, `allocated ${info.blocks * 512} bytes`);
});
