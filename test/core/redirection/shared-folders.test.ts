import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { sharedFolder } from '../../../src/core/package/manifest-schema.js';
import { mapHostPath } from '../../../src/core/redirection/shared-folders.js';
import { guestArguments } from '../../../src/core/apps/guest-arguments.js';
import { tempDir } from '../../helpers/temp.js';

test('a host path maps through the deepest shared folder holding it, with the guest\'s separators', async (t) => {
  const root = tempDir(t);
  await mkdir(join(root, 'docs', 'team', 'q3'), { recursive: true });
  const folders = [
    { host: join(root, 'docs'), guest: '/mnt/docs' },
    { host: join(root, 'docs', 'team'), guest: 'T:\\' },
  ];
  t.is(mapHostPath(folders, join(root, 'docs', 'a.txt'))?.guestPath, '/mnt/docs/a.txt');
  t.is(mapHostPath(folders, join(root, 'docs', 'team', 'q3', 'b c.xlsx'))?.guestPath, 'T:\\q3\\b c.xlsx');
  t.is(mapHostPath(folders, join(root, 'docs'))?.guestPath, '/mnt/docs');
  t.is(mapHostPath(folders, join(root, 'docsX', 'a.txt')), undefined, 'a sibling with the same prefix is outside');
  t.is(mapHostPath(folders, join(root, 'docs', '..', 'elsewhere.txt')), undefined);
});

test('a symbolic link inside a share that points outside it does not count as inside', async (t) => {
  const root = tempDir(t);
  await mkdir(join(root, 'share'));
  await writeFile(join(root, 'secret.txt'), 'x');
  await symlink(join(root, 'secret.txt'), join(root, 'share', 'link.txt'));
  t.is(mapHostPath([{ host: join(root, 'share'), guest: '/mnt/share' }], join(root, 'share', 'link.txt')), undefined);
});

test('shared folders in workspace.json must be absolute on both sides and free of ..', (t) => {
  t.true(sharedFolder.safeParse({ host: '~/Documents', guest: '/mnt/documents' }).success);
  t.true(sharedFolder.safeParse({ host: '/srv/data', guest: '\\\\fileserver\\data' }).success);
  t.true(sharedFolder.safeParse({ host: '/srv/data', guest: 'Z:\\' }).success);
  t.false(sharedFolder.safeParse({ host: 'Documents', guest: '/mnt/documents' }).success);
  t.false(sharedFolder.safeParse({ host: '/srv/../etc', guest: '/mnt/x' }).success);
  t.false(sharedFolder.safeParse({ host: '/srv/data', guest: 'mnt/data' }).success);
  t.false(sharedFolder.safeParse({ host: '/srv/data', guest: 'Z:\\..\\Windows' }).success);
});

test('app arguments: absolute paths in a share and relative ones naming existing files there become guest paths; the rest pass', async (t) => {
  const root = tempDir(t);
  await mkdir(join(root, 'share'));
  await writeFile(join(root, 'share', 'memo.txt'), 'x');
  const folders = [{ host: join(root, 'share'), guest: '/mnt/share' }];
  const cwd = join(root, 'share');
  t.deepEqual(guestArguments(folders, ['memo.txt', 'notes', join(root, 'share', 'new.pdf'), '--out', '-v', '/etc/hosts', ''], cwd), [
    '/mnt/share/memo.txt',
    'notes',
    '/mnt/share/new.pdf',
    '--out',
    '-v',
    '/etc/hosts',
    '',
  ]);
  t.deepEqual(guestArguments([], ['memo.txt'], cwd), ['memo.txt']);
});
