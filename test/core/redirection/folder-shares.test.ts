import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { isTwinboxError, SHARE_TAG_PATTERN } from '../../../src/plugin-api/index.js';
import { checkShareFolders, ninePShares, shareTag, unmountedNote } from '../../../src/core/redirection/folder-shares.js';
import { tempDir } from '../../helpers/temp.js';

const NINE_P = { folderSharing: { ways: ['9p'] as const } };

test('a mount tag comes from the index and the guest path, safe and at most 31 bytes', (t) => {
  t.is(shareTag(0, '/mnt/documents'), 'tbx0-documents');
  t.is(shareTag(3, '/mnt/my files/'), 'tbx3-my_files');
  t.is(shareTag(1, '/'), 'tbx1-root');
  t.is(shareTag(2, '/mnt/Übersicht'), 'tbx2-bersicht');
  const long = shareTag(31, `/mnt/${'a'.repeat(100)}`);
  t.is(Buffer.byteLength(long), 31);
  t.regex(long, SHARE_TAG_PATTERN);
  for (const path of ['/mnt/$(reboot)', '/mnt/a,b', '/mnt/"x"', '/mnt/-rf']) t.regex(shareTag(0, path), SHARE_TAG_PATTERN, path);
});

test('only POSIX guest paths are exported, and only by a hypervisor that shares by 9p', (t) => {
  const folders = [
    { host: '/srv/a', guest: '/mnt/a' },
    { host: '/srv/b', guest: '\\\\tsclient\\b' },
    { host: '/srv/c', guest: 'Z:\\', readOnly: true },
    { host: '/srv/d', guest: '/mnt/d', readOnly: true },
  ];
  t.deepEqual(ninePShares(folders, NINE_P), [
    { host: '/srv/a', hostPath: '/srv/a', guest: '/mnt/a', tag: 'tbx0-a', readOnly: false },
    { host: '/srv/d', hostPath: '/srv/d', guest: '/mnt/d', tag: 'tbx3-d', readOnly: true },
  ]);
  t.deepEqual(ninePShares(folders, { folderSharing: { ways: ['rdp-drive'] } }), []);
  t.deepEqual(ninePShares(folders, {}), [], 'a plugin built for an older API shares nothing itself');
});

test('a missing shared folder or a file in its place is refused in one line naming it, with the fix (exit 2)', (t) => {
  const home = tempDir(t);
  mkdirSync(join(home, 'here'));
  writeFileSync(join(home, 'file'), 'x');
  const shares = ninePShares(
    [
      { host: join(home, 'here'), guest: '/mnt/here' },
      { host: join(home, 'gone'), guest: '/mnt/gone' },
    ],
    NINE_P,
  );
  t.notThrows(() => checkShareFolders('office', shares.slice(0, 1)));
  const missing = t.throws(() => checkShareFolders('office', shares));
  t.true(isTwinboxError(missing));
  if (!isTwinboxError(missing)) return;
  t.is(missing.exit, 'usage');
  t.is(missing.code, 'shared-folder-missing');
  t.is(missing.message, `the shared folder of workspace "office" ${join(home, 'gone')} does not exist on this host`);
  t.regex(missing.hint ?? '', /^create it \(mkdir -p ".*gone"\)/);
  t.false(missing.message.includes('\n'));
  const file = t.throws(() => checkShareFolders('office', ninePShares([{ host: join(home, 'file'), guest: '/mnt/f' }], NINE_P)));
  t.regex(file!.message, /file is a file, not a folder on this host$/);
});

test('status notes the folders the guest could not mount at its last start', (t) => {
  const share = { host: '~/Docs', hostPath: '/home/a/Docs', guest: '/mnt/docs', tag: 'tbx0-docs', readOnly: true };
  t.is(unmountedNote({ exported: [share], last: { at: '', mounts: [{ ...share, mounted: true }] } }), undefined);
  t.is(unmountedNote({ exported: [share] }), undefined);
  t.is(
    unmountedNote({ exported: [share], last: { at: '', mounts: [{ ...share, mounted: false, error: 'mount: mounting tbx0-docs on /mnt/docs failed: No such device' }] } }),
    'shared folder ~/Docs at /mnt/docs (read-only) not mounted (mount: mounting tbx0-docs on /mnt/docs failed: No such device)',
  );
});
