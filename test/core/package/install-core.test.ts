import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { completeUpgrade } from '../../../src/core/package/complete-upgrade.js';
import { installPackage } from '../../../src/core/package/install/install-package.js';
import { loadTrustPolicy } from '../../../src/core/package/trust-policy.js';
import { verifyPackage } from '../../../src/core/package/verify.js';
import { openCore } from '../../../src/core/open-core.js';
import { WorkspaceRegistry } from '../../../src/core/workspace/registry.js';
import { isTwinboxError } from '../../../src/plugin-api/index.js';
import { tempDir } from '../../helpers/temp.js';
import { installState } from './helpers/state-snapshot.js';
import { packageArchive } from './helpers/tar-fixtures.js';
import { mountTmpfs } from './helpers/tmpfs.js';

test('a gzip package verifies in one streaming pass and reports what it holds', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'hello.twbx');
  writeFileSync(file, packageArchive({ scripts: { 'setup/one.sh': 'echo one\n' } }, true));
  const metadata = await verifyPackage(file, { trust: loadTrustPolicy(false, []) });
  t.like(metadata, { label: 'hello.twbx', compression: 'gzip', signature: { state: 'unsigned' } });
  t.is(metadata.manifest.name, 'hello');
  t.deepEqual([...metadata.sums.keys()], ['workspace.json', 'disk.img', 'setup/one.sh']);
});

test('the disk filling up during the unpack is a clear exit-1 error and leaves no trace', async (t) => {
  const dir = tempDir(t);
  const home = join(dir, 'home');
  const skip = mountTmpfs(t, home, '4m');
  if (skip) {
    t.log(`skipped: ${skip}`);
    t.pass();
    return;
  }
  const file = join(dir, 'big.twbx');
  // Random bytes: zeros would be written as holes and take no space.
  writeFileSync(file, packageArchive({ image: randomBytes(8 * 1024 * 1024) }));
  const core = openCore({ env: { TWINBOX_HOME: home } });
  const before = installState(home);
  const error = await installPackage(core, file, { freeSpace: async () => 1024 ** 4 }).catch((caught: unknown) => caught);
  t.true(isTwinboxError(error));
  if (!isTwinboxError(error)) return;
  t.is(error.code, 'disk-full');
  t.is(error.exitCode, 1);
  t.regex(error.message, /^not enough free disk space in .*\/store: the disk filled up while the package was unpacked; nothing was installed$/);
  t.deepEqual(installState(home), before);
});

test('completeUpgrade removes the replaced version from the store and clears replacing', async (t) => {
  const dir = tempDir(t);
  const home = join(dir, 'home');
  const core = openCore({ env: { TWINBOX_HOME: home } });
  const v1 = join(dir, 'v1.twbx');
  const v2 = join(dir, 'v2.twbx');
  writeFileSync(v1, packageArchive({ version: '1.0.0' }));
  writeFileSync(v2, packageArchive({ version: '2.0.0' }));
  const first = await installPackage(core, v1);
  const registry = new WorkspaceRegistry(join(home, 'data'));
  registry.update('hello', (entry) => ({ ...entry, hypervisor: 'fake', vm: { id: 'hello', vmDir: join(home, 'data', 'workspaces', 'hello', 'vm') }, setup: { state: 'ready' } }));
  const second = await installPackage(core, v2);
  t.deepEqual(second.replacing, { version: '1.0.0', storeDir: first.storeDir });
  t.true(existsSync(first.storeDir), 'the old version stays until the new one has set up');

  t.is(await completeUpgrade(core, 'hello'), first.storeDir);
  t.false(existsSync(first.storeDir));
  t.true(existsSync(second.storeDir));
  const entry = new WorkspaceRegistry(join(home, 'data')).get('hello');
  t.is(entry.replacing, undefined);
  t.is(entry.version, '2.0.0');
  t.like(entry, { hypervisor: 'fake', vm: { id: 'hello' } });
  t.is(await completeUpgrade(core, 'hello'), undefined, 'nothing more to do');
});
