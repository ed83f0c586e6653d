import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { errorLines, events, homeWithBaseInstalled, makeBaseTemplate, writeSettings } from '../core/package/helpers/cli-home.js';
import { installState } from '../core/package/helpers/state-snapshot.js';
import { member, packageArchive, packageMembers, packageParts, sha256, tarOf, type PartsOptions } from '../core/package/helpers/tar-fixtures.js';
import { sampleImage } from '../core/package/helpers/workspace-folder.js';

/**
 * Every bad package is refused with a one-line error naming the problem, its documented exit
 * code, and the store and the registry exactly as they were (a workspace "base" is installed
 * in each home beforehand, so there is something to disturb).
 */

let scratch: string;
let template: string;

test.before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'tbx-reject-'));
  template = await makeBaseTemplate(scratch);
});

test.after.always(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const publisher = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const publisherPem = publisher.publicKey.export({ type: 'spki', format: 'pem' }).toString();

interface Case {
  archive: () => Buffer;
  exit: number;
  message: RegExp;
  settings?: Record<string, unknown>;
}

function valid(options: PartsOptions = {}): Buffer[] {
  return packageMembers(packageParts(options));
}

function signedBy(key: KeyObject, options: PartsOptions = {}): Buffer {
  return tarOf(...valid({ ...options, key }));
}

const requireSignature = { 'security.requireSignature': true, 'security.trustedKeys': [publisherPem] };

const cases: Record<string, Case> = {
  'a truncated archive': {
    archive: () => packageArchive().subarray(0, 8192),
    exit: 3,
    message: /: the archive is truncated: it ends inside member "disk\.img"/,
  },
  'a truncated gzip archive': {
    archive: () => {
      const whole = packageArchive({}, true);
      return whole.subarray(0, Math.floor(whole.length / 2));
    },
    exit: 3,
    message: /: the archive is truncated/,
  },
  'a file that is not a tar archive': {
    archive: () => Buffer.from('this is a text file, not a package\n'.repeat(100)),
    exit: 3,
    message: /: not a tar archive \(no ustar header at the start\)/,
  },
  'an empty file': {
    archive: () => Buffer.alloc(0),
    exit: 3,
    message: /: not a tar archive \(the file is empty\)/,
  },
  'an xz-compressed archive': {
    archive: () => Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(100)]),
    exit: 3,
    message: /: compressed with xz, which twinbox does not read/,
  },
  'a workspace.json that is not JSON': {
    archive: () => tarOf(...valid({ rawManifest: Buffer.from('{ "name": "hello", ') })),
    exit: 3,
    message: /: workspace\.json is not valid JSON \(/,
  },
  'a workspace.json that breaks the schema in several fields': {
    archive: () => tarOf(...valid({ manifest: { version: 'one', image: { format: 'zip' }, vm: { cpus: 0 }, colour: 'blue' } })),
    exit: 3,
    message: /: workspace\.json does not match the schema: (?=.*version: use a semantic version)(?=.*image\.format: )(?=.*vm\.cpus: )(?=.*Unrecognized key: "colour")/,
  },
  'a workspace.json larger than the limit': {
    archive: () => {
      const parts = packageParts();
      const huge = Buffer.concat([parts.manifest, Buffer.alloc(300 * 1024, 0x20)]);
      return tarOf(member('workspace.json', huge), member('SHA256SUMS', parts.sums), member(parts.imageName, parts.image));
    },
    exit: 3,
    message: /: workspace\.json is 3\d{5} bytes, more than the 262144 allowed; it was not read/,
  },
  'an image that does not match its checksum': {
    archive: () => {
      const parts = packageParts();
      parts.image = Buffer.from(parts.image);
      parts.image[1000] ^= 0xff;
      return tarOf(...packageMembers(parts));
    },
    exit: 3,
    message: /: "disk\.img" does not match its sha256 in SHA256SUMS: the package was altered or damaged/,
  },
  'SHA256SUMS without a sum for the image': {
    archive: () => {
      const parts = packageParts();
      parts.sums = Buffer.from(`${sha256(parts.manifest)}  workspace.json\n`);
      return tarOf(...packageMembers(parts));
    },
    exit: 3,
    message: /: SHA256SUMS has no sum for "disk\.img"/,
  },
  'a package without its disk image': {
    archive: () => tarOf(...valid().slice(0, 2)),
    exit: 3,
    message: /: the disk image "disk\.img" \(image\.file\) is missing from the package/,
  },
  'members in the wrong order': {
    archive: () => {
      const [manifest, sums, image] = valid();
      return tarOf(image!, manifest!, sums!);
    },
    exit: 3,
    message: /: the first member must be workspace\.json, found "disk\.img"/,
  },
  'a member whose path climbs out with ../': {
    archive: () => tarOf(...valid(), member('../evil.sh', Buffer.from('rm -rf ~\n'))),
    exit: 3,
    message: /: member "\.\.\/evil\.sh" leaves the package \(path traversal through "\.\."\)/,
  },
  'a member whose path climbs out in the middle': {
    archive: () => tarOf(...valid(), member('setup/../../evil.sh', Buffer.from('x'))),
    exit: 3,
    message: /: member "setup\/\.\.\/\.\.\/evil\.sh" leaves the package/,
  },
  'a member with an absolute path': {
    archive: () => tarOf(...valid(), member('/etc/cron.d/evil', Buffer.from('x'))),
    exit: 3,
    message: /: member "\/etc\/cron\.d\/evil" has an absolute path/,
  },
  'a symbolic link': {
    archive: () => tarOf(...valid().slice(0, 2), member('disk.img', Buffer.alloc(0), { typeflag: '2', linkname: '/etc/shadow' })),
    exit: 3,
    message: /: member "disk\.img" is a symbolic link \(to "\/etc\/shadow"\): links are refused/,
  },
  'a hard link': {
    archive: () => tarOf(...valid(), member('setup/copy', Buffer.alloc(0), { typeflag: '1', linkname: 'workspace.json' })),
    exit: 3,
    message: /: member "setup\/copy" is a hard link \(to "workspace\.json"\): links are refused/,
  },
  'a device file': {
    archive: () => tarOf(...valid(), member('dev/mem', Buffer.alloc(0), { typeflag: '3', devmajor: 1, devminor: 1 })),
    exit: 3,
    message: /: member "dev\/mem" is a character device: device files are refused/,
  },
  'a FIFO': {
    archive: () => tarOf(...valid(), member('pipe', Buffer.alloc(0), { typeflag: '6' })),
    exit: 3,
    message: /: member "pipe" is a FIFO: special files are refused/,
  },
  'a duplicate entry': {
    archive: () => {
      const members = valid();
      return tarOf(...members, members[2]!);
    },
    exit: 3,
    message: /: member "disk\.img" appears twice in the archive/,
  },
  'a member workspace.json does not name': {
    archive: () => tarOf(...valid(), member('notes.txt', Buffer.from('hi'))),
    exit: 3,
    message: /: unexpected member "notes\.txt": workspace\.json does not name it/,
  },
  'a header with a wrong checksum': {
    archive: () => {
      const members = valid();
      const archive = tarOf(...members);
      archive[members[0]!.length + members[1]!.length + 3] ^= 0x01;
      return archive;
    },
    exit: 3,
    message: /: header checksum mismatch at byte \d+ \(member "dis.\.img"\): the archive is corrupt/,
  },
  'an image in another format than image.format says': {
    archive: () => {
      const image = sampleImage();
      image.write('QFI\xfb', 0, 'latin1');
      return tarOf(...valid({ image }));
    },
    exit: 3,
    message: /: image\.format says raw but the image is a qcow2 image/,
  },
  'a package needing a guest-agent plugin that is not installed': {
    archive: () => tarOf(...valid({ manifest: { guestAgent: { plugin: 'nosuch' } } })),
    exit: 1,
    message: /^twinbox: hello 1\.0\.0 needs the guest-agent plugin "nosuch", which is not installed here$/,
  },
  'a package allowing only hypervisors that are not usable here': {
    archive: () => tarOf(...valid({ manifest: { hypervisors: { allowed: ['virtualbox'] } } })),
    exit: 1,
    message: /^twinbox: no usable hypervisor for hello 1\.0\.0 among those it allows \(virtualbox\): virtualbox: VBoxManage was not found/,
  },
  'an unsigned package where signatures are required': {
    archive: () => tarOf(...valid()),
    settings: requireSignature,
    exit: 3,
    message: /: the package is not signed, and this host requires signed packages \(security\.requireSignature\)/,
  },
  'a signed package where signatures are required but no key is trusted': {
    archive: () => signedBy(publisher.privateKey),
    settings: { 'security.requireSignature': true },
    exit: 3,
    message: /: the package is signed, but no trusted keys are configured to check it/,
  },
  'a package signed by a key that is not trusted': {
    archive: () => signedBy(stranger.privateKey),
    settings: requireSignature,
    exit: 3,
    message: /: the signature matches none of the 1 trusted key\(s\): the package was altered or signed by someone else/,
  },
  'a signed package whose manifest was changed after signing': {
    archive: () => {
      const parts = packageParts({ key: publisher.privateKey });
      const altered = packageParts({ manifest: { description: 'now with a backdoor' } });
      return tarOf(...packageMembers({ ...altered, signature: parts.signature }));
    },
    settings: { 'security.trustedKeys': [publisherPem] },
    exit: 3,
    message: /: the signature matches none of the 1 trusted key\(s\)/,
  },
};

for (const [what, spec] of Object.entries(cases)) {
  test(`install refuses ${what} with exit ${spec.exit}, one line naming the problem, and changes nothing`, async (t) => {
    const home = homeWithBaseInstalled(template, t);
    if (spec.settings) writeSettings(home.home, spec.settings);
    const file = join(home.dir, 'hello.twbx');
    writeFileSync(file, spec.archive());
    const before = installState(home.home);
    const result = await home.run(['install', file, '--unattended']);
    t.is(result.exitCode, spec.exit, result.stderr);
    const lines = errorLines(result.stderr);
    t.is(lines.length, 2, result.stderr);
    t.regex(lines[0]!, /^twinbox: /);
    t.regex(lines[0]!, spec.message);
    t.regex(lines[1]!, /^hint: /);
    t.deepEqual(installState(home.home), before);
  });
}

test('install of a file that does not exist is a usage error (exit 2) that changes nothing', async (t) => {
  const home = homeWithBaseInstalled(template, t);
  const before = installState(home.home);
  const result = await home.run(['install', join(home.dir, 'nowhere.twbx')]);
  t.is(result.exitCode, 2);
  t.regex(errorLines(result.stderr)[0]!, /^twinbox: no package file at .*nowhere\.twbx$/);
  t.deepEqual(installState(home.home), before);
});

test('a refused package is recorded as packageRejected in the main log and the workspace\'s own log', async (t) => {
  const home = homeWithBaseInstalled(template, t);
  const file = join(home.dir, 'base.twbx');
  const parts = packageParts({ name: 'base', version: '9.0.0' });
  parts.image = Buffer.from(parts.image);
  parts.image[0] ^= 1;
  writeFileSync(file, tarOf(...packageMembers(parts)));
  const result = await home.run(['install', file, '--unattended', '--json']);
  t.is(result.exitCode, 3);
  t.like(JSON.parse(result.stdout), { error: { code: 'package-checksum', exitCode: 3 } });
  const main = events(join(home.home, 'data', 'events.jsonl')).filter((event) => event.code === 7010);
  t.is(main.length, 1);
  t.like(main[0], { level: 'error', fields: { code: 'package-checksum', name: 'base', version: '9.0.0' } });
  const own = events(join(home.home, 'data', 'workspaces', 'base', 'events.jsonl')).filter((event) => event.code === 7010);
  t.is(own.length, 1);
});

test('a gzip package with a damaged image is refused like an uncompressed one', async (t) => {
  const home = homeWithBaseInstalled(template, t);
  const parts = packageParts();
  parts.image = Buffer.from(parts.image);
  parts.image[5] ^= 1;
  const file = join(home.dir, 'hello.twbx');
  writeFileSync(file, gzipSync(tarOf(...packageMembers(parts))));
  const before = installState(home.home);
  const result = await home.run(['install', file]);
  t.is(result.exitCode, 3);
  t.regex(errorLines(result.stderr)[0]!, /does not match its sha256/);
  t.deepEqual(installState(home.home), before);
});
