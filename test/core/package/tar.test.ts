import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { decodeHeader, encodeHeader } from '../../../src/core/package/tar/header.js';
import { encodePax, parsePax } from '../../../src/core/package/tar/pax.js';
import { readTar } from '../../../src/core/package/tar/tar-reader.js';
import { TarError } from '../../../src/core/package/tar/tar-error.js';
import { tarStream, type TarMemberSource } from '../../../src/core/package/tar/tar-writer.js';
import { tempDir } from '../../helpers/temp.js';
import { member, tarOf } from './helpers/tar-fixtures.js';

async function* chunked(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

/** Reads every member, feeding the archive in odd-sized chunks so that headers straddle them. */
async function readMembers(archive: Buffer, chunkSize = 333): Promise<Map<string, Buffer>> {
  const members = new Map<string, Buffer>();
  for await (const { entry, body } of readTar(chunked(archive, chunkSize))) members.set(entry.path, await collect(body.chunks()));
  return members;
}

async function refusal(archive: Buffer): Promise<TarError> {
  const error = await readMembers(archive).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TarError)) throw new Error(`expected a TarError, got ${String(error)}`);
  return error;
}

const LONG_PREFIXED = `${'folder-'.repeat(15)}/${'file-'.repeat(15)}.txt`;
const LONG_UNSPLITTABLE = `${'x'.repeat(120)}/${'y'.repeat(130)}.bin`;

function sources(): TarMemberSource[] {
  return [
    { path: 'empty', size: 0, mode: 0o644, mtime: 1, content: Buffer.alloc(0) },
    { path: 'one-byte', size: 1, mode: 0o644, mtime: 1, content: Buffer.from('x') },
    { path: 'exact-block', size: 512, mode: 0o644, mtime: 1, content: Buffer.alloc(512, 7) },
    { path: LONG_PREFIXED, size: 1000, mode: 0o755, mtime: 1, content: Buffer.alloc(1000, 3) },
    {
      path: LONG_UNSPLITTABLE,
      size: 70_000,
      mode: 0o644,
      mtime: 1,
      content: async function* () {
        yield Buffer.alloc(30_000, 1);
        yield Buffer.alloc(40_000, 2);
      },
    },
  ];
}

test('the writer and the reader round-trip regular files of any size, long names included', async (t) => {
  const archive = await collect(tarStream(sources()));
  const members = await readMembers(archive);
  t.deepEqual([...members.keys()], ['empty', 'one-byte', 'exact-block', LONG_PREFIXED, LONG_UNSPLITTABLE]);
  t.is(members.get('one-byte')!.toString(), 'x');
  t.true(members.get(LONG_UNSPLITTABLE)!.equals(Buffer.concat([Buffer.alloc(30_000, 1), Buffer.alloc(40_000, 2)])));
});

test('GNU tar lists and extracts what the writer writes, long names included', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'out.tar'), await collect(tarStream(sources())));
  const listing = execFileSync('tar', ['-tf', join(dir, 'out.tar')], { encoding: 'utf8' }).trim().split('\n');
  t.deepEqual(listing, ['empty', 'one-byte', 'exact-block', LONG_PREFIXED, LONG_UNSPLITTABLE]);
  mkdirSync(join(dir, 'x'));
  execFileSync('tar', ['-xf', join(dir, 'out.tar'), '-C', join(dir, 'x')]);
  t.is(readFileSync(join(dir, 'x', LONG_UNSPLITTABLE)).length, 70_000);
});

for (const format of ['gnu', 'pax', 'ustar'] as const) {
  test(`the reader reads archives GNU tar writes in ${format} format`, async (t) => {
    const dir = tempDir(t);
    const names = ['a.txt', format === 'ustar' ? LONG_PREFIXED : LONG_UNSPLITTABLE];
    for (const name of names) {
      mkdirSync(join(dir, 'src', name, '..'), { recursive: true });
      writeFileSync(join(dir, 'src', name), `content of ${name}`);
    }
    execFileSync('tar', [`--format=${format}`, '--no-recursion', '-cf', join(dir, 'in.tar'), '-C', join(dir, 'src'), ...names]);
    const members = await readMembers(readFileSync(join(dir, 'in.tar')), 4096);
    t.deepEqual([...members.keys()], names);
    t.is(members.get(names[1]!)!.toString(), `content of ${names[1]}`);
  });
}

test('sizes beyond what octal fields hold are stored in base-256 and read back', (t) => {
  const size = 9 * 1024 ** 3;
  t.is(decodeHeader(encodeHeader({ name: 'huge.img', size, typeflag: '0' }), 0).size, size);
});

test('a PAX size record overrides the size in the header', async (t) => {
  const pax = encodePax(new Map([['size', '5']]));
  const archive = tarOf(member('PaxHeader', pax, { typeflag: 'x' }), Buffer.concat([encodeHeader({ name: 'five', size: 0, typeflag: '0' }), Buffer.from('12345'), Buffer.alloc(507)]));
  t.is((await readMembers(archive)).get('five')!.toString(), '12345');
});

test('PAX records round-trip, including records whose length prefix gains a digit', (t) => {
  const records = new Map([['path', 'p'.repeat(93)], ['comment', 'ü']]);
  t.deepEqual(parsePax(encodePax(records)), records);
});

test('a member cut short is reported as truncated, naming the member', async (t) => {
  const archive = tarOf(member('disk.img', Buffer.alloc(5000, 1)));
  const error = await refusal(archive.subarray(0, 3000));
  t.is(error.problem, 'truncated');
  t.regex(error.message, /ends inside member "disk\.img" \(\d+ of 5000 bytes present\)/);
});

test('an archive without its end-of-archive marker is reported as truncated', async (t) => {
  const error = await refusal(member('a', Buffer.from('a')));
  t.is(error.problem, 'truncated');
});

test('a lone zero block followed by more data is refused', async (t) => {
  const archive = Buffer.concat([member('a', Buffer.from('a')), Buffer.alloc(512), member('hidden', Buffer.from('b')), Buffer.alloc(1024)]);
  t.is((await refusal(archive)).problem, 'bad-header');
});

test('a PAX header marking a GNU sparse file is refused', async (t) => {
  const pax = encodePax(new Map([['GNU.sparse.major', '1']]));
  const archive = tarOf(member('PaxHeader', pax, { typeflag: 'x' }), member('sparse', Buffer.from('x')));
  t.is((await refusal(archive)).problem, 'unsupported-type');
});

test('an extended header larger than 64 KiB is refused before it is read', async (t) => {
  const archive = tarOf(member('PaxHeader', Buffer.alloc(70 * 1024, 0x20), { typeflag: 'x' }));
  t.is((await refusal(archive)).problem, 'oversized-header');
});

test('a GNU long name that escapes the folder is refused like a short one', async (t) => {
  const longName = Buffer.from(`${'../'.repeat(40)}etc/passwd\0`);
  const archive = tarOf(member('././@LongLink', longName, { typeflag: 'L' }), member('innocent', Buffer.from('x')));
  const error = await refusal(archive);
  t.is(error.problem, 'traversal');
  t.regex(error.message, /etc\/passwd" leaves the package/);
});

test('the writer refuses names the reader would refuse', async (t) => {
  await t.throwsAsync(collect(tarStream([{ path: '../x', size: 0, mode: 0o644, mtime: 0, content: Buffer.alloc(0) }])), { message: /path traversal/ });
});

test('the writer refuses a streamed member that is not the size announced', async (t) => {
  const source: TarMemberSource = {
    path: 'grew',
    size: 10,
    mode: 0o644,
    mtime: 0,
    content: async function* () {
      yield Buffer.alloc(11);
    },
  };
  await t.throwsAsync(collect(tarStream([source])), { message: /grew changed while it was being packed/ });
});
