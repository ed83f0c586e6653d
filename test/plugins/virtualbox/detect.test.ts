import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { virtualbox, tempPaths } from './support/harness.js';
import * as out from './transcripts/vboxmanage-output.js';

const ENV = { LANG: 'C', LC_ALL: 'C' };

/** A real file standing in for VBoxManage, so its mtime keys the caches. */
function fakeBinary(paths: ReturnType<typeof tempPaths>, name = 'VBoxManage'): string {
  const binary = join(paths.root, name);
  writeFileSync(binary, '#!/bin/sh\n');
  return binary;
}

test('detect reads the version once per plugin instance', async (t) => {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  h.runner.append({ argv: ['/usr/bin/VBoxManage', '--version'], env: ENV, stdout: out.VERSION_OUTPUT });
  const first = await h.plugin.detect();
  const second = await h.plugin.detect();
  t.deepEqual(first, { usable: true, reason: 'VirtualBox 7.1.4 (/usr/bin/VBoxManage)', version: '7.1.4', details: { binary: '/usr/bin/VBoxManage', revision: '165100' } });
  t.deepEqual(second, first);
  t.notThrows(() => h.runner.assertDone());
});

test('the version is shared by every instance in the process and kept in the cache folder', async (t) => {
  const paths = tempPaths();
  t.teardown(paths.cleanup);
  const binary = fakeBinary(paths);
  const first = virtualbox([{ argv: [binary, '--version'], env: ENV, stdout: '7.1.4r165100\n' }], { which: { VBoxManage: binary }, paths });
  t.is((await first.plugin.detect()).version, '7.1.4');
  t.notThrows(() => first.runner.assertDone());

  const second = virtualbox([], { which: { VBoxManage: binary }, paths });
  t.is((await second.plugin.detect()).version, '7.1.4');
  t.notThrows(() => second.runner.assertDone());

  const stored = JSON.parse(readFileSync(join(paths.cacheDir, 'vboxmanage-version.json'), 'utf8')) as Record<string, { mtimeMs: number; version: string }>;
  t.deepEqual(stored[binary], { mtimeMs: statSync(binary).mtimeMs, version: '7.1.4', revision: '165100' });
});

test('a cache file written by an earlier run is used while the binary is unchanged, and ignored after an upgrade', async (t) => {
  const paths = tempPaths();
  t.teardown(paths.cleanup);
  const binary = fakeBinary(paths, 'VBoxManage-cached');
  const mtimeMs = statSync(binary).mtimeMs;
  writeFileSync(join(paths.cacheDir, 'vboxmanage-version.json'), JSON.stringify({ [binary]: { mtimeMs, version: '7.0.20', revision: '163906' } }));
  const cached = virtualbox([], { which: { VBoxManage: binary }, paths });
  t.is((await cached.plugin.detect()).version, '7.0.20');
  t.notThrows(() => cached.runner.assertDone());

  const upgraded = fakeBinary(paths, 'VBoxManage-upgraded');
  writeFileSync(join(paths.cacheDir, 'vboxmanage-version.json'), JSON.stringify({ [upgraded]: { mtimeMs: statSync(upgraded).mtimeMs - 1000, version: '7.0.20' } }));
  const fresh = virtualbox([{ argv: [upgraded, '--version'], env: ENV, stdout: '7.1.4r165100\n' }], { which: { VBoxManage: upgraded }, paths });
  t.is((await fresh.plugin.detect()).version, '7.1.4');
  t.notThrows(() => fresh.runner.assertDone());
});

test('a kernel module that is not loaded makes VirtualBox unusable, with the fix, and is asked again next time', async (t) => {
  const paths = tempPaths();
  t.teardown(paths.cleanup);
  const binary = fakeBinary(paths, 'VBoxManage-nodrv');
  const step = { argv: [binary, '--version'], env: ENV, stdout: `${out.VBOXDRV_WARNING}7.1.4r165100\n` };
  const h = virtualbox([step], { which: { VBoxManage: binary }, paths });
  const availability = await h.plugin.detect();
  t.false(availability.usable);
  t.is(availability.version, '7.1.4');
  t.regex(availability.reason, /vboxdrv\) is not loaded.*sudo \/sbin\/vboxconfig/);
  const again = virtualbox([step], { which: { VBoxManage: binary }, paths });
  t.false((await again.plugin.detect()).usable);
  t.notThrows(() => again.runner.assertDone());
});

test('distribution builds (6.1.38_Ubuntur153438) parse; versions before 6.1 are too old', async (t) => {
  const ubuntu = virtualbox([{ argv: ['/usr/bin/VBoxManage', '--version'], stdout: '6.1.38_Ubuntur153438\n' }]);
  t.teardown(ubuntu.paths.cleanup);
  t.like(await ubuntu.plugin.detect(), { usable: true, version: '6.1.38', details: { revision: '153438' } });
  const old = virtualbox([{ argv: ['/usr/bin/VBoxManage', '--version'], stdout: '5.2.44r139111\n' }]);
  t.teardown(old.paths.cleanup);
  const availability = await old.plugin.detect();
  t.false(availability.usable);
  t.regex(availability.reason, /5\.2\.44 is too old/);
});

test('a VBoxManage that cannot say its version is a broken installation', async (t) => {
  const garbage = virtualbox([{ argv: ['/usr/bin/VBoxManage', '--version'], stdout: 'Segmentation fault\n', exitCode: 139 }]);
  t.teardown(garbage.paths.cleanup);
  const availability = await garbage.plugin.detect();
  t.false(availability.usable);
  t.regex(availability.reason, /gave no version.*reinstall VirtualBox 7/);

  const broken = virtualbox([{ argv: ['/usr/bin/VBoxManage', '--version'], exitCode: 126, stderr: 'VBoxManage: cannot execute binary file\n' }]);
  t.teardown(broken.paths.cleanup);
  t.regex((await broken.plugin.detect()).reason, /exit code 126.*installation is damaged: reinstall VirtualBox 7/);
});
