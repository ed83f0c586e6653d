import test from 'ava';
import { planInstall } from '../../../src/core/package/install/install-plan.js';
import type { WorkspaceEntry } from '../../../src/core/workspace/registry.js';

const STORE = '/data/store/hello';

function installed(version: string, extra: Partial<WorkspaceEntry> = {}): WorkspaceEntry {
  return {
    name: 'hello',
    version,
    description: '',
    installedAt: '2026-01-01T00:00:00.000Z',
    storeDir: `${STORE}/${version}`,
    imagePath: `${STORE}/${version}/disk.img`,
    setup: { state: 'ready' },
    ...extra,
  };
}

const vm = { id: 'hello', vmDir: '/data/workspaces/hello/vm' };

test('nothing installed under the name makes a fresh install', (t) => {
  t.like(planInstall(undefined, 'hello', '1.0.0', `${STORE}/1.0.0`, false), { kind: 'fresh', obsoleteStoreDirs: [], warnings: [] });
});

test('the same version again is refused without --overwrite', (t) => {
  t.throws(() => planInstall(installed('1.0.0'), 'hello', '1.0.0', `${STORE}/1.0.0`, false), { message: 'hello 1.0.0 is already installed' });
});

test('--overwrite of a set-up version removes its VM and says that guest data is lost', (t) => {
  const plan = planInstall(installed('1.0.0', { hypervisor: 'fake', vm }), 'hello', '1.0.0', `${STORE}/1.0.0`, true);
  t.like(plan, { kind: 'overwrite', vmToRemove: { hypervisor: 'fake', vm } });
  t.regex(plan.warnings[0]!, /removes the VM of hello 1\.0\.0 now: files written inside the guest .* are lost/);
});

test('--overwrite of a pending upgrade keeps the VM still in use', (t) => {
  const entry = installed('1.1.0', { hypervisor: 'fake', vm, replacing: { version: '1.0.0', storeDir: `${STORE}/1.0.0` } });
  const plan = planInstall(entry, 'hello', '1.1.0', `${STORE}/1.1.0`, true);
  t.is(plan.vmToRemove, undefined);
  t.deepEqual(plan.replacing, entry.replacing);
  t.deepEqual(plan.keep, { hypervisor: 'fake', vm });
});

test('a newer version is an upgrade that records the version it replaces and warns about the overlay disk', (t) => {
  const plan = planInstall(installed('1.0.0', { hypervisor: 'fake', vm }), 'hello', '1.1.0', `${STORE}/1.1.0`, false);
  t.like(plan, { kind: 'upgrade', previousVersion: '1.0.0', replacing: { version: '1.0.0', storeDir: `${STORE}/1.0.0` }, keep: { hypervisor: 'fake', vm } });
  t.deepEqual(plan.obsoleteStoreDirs, []);
  t.regex(plan.warnings[0]!, /upgrading hello from 1\.0\.0 to 1\.1\.0: .*overlay disk in \/data\/workspaces\/hello\/vm.* will be lost/);
});

test('an upgrade of a version never set up says no guest data is replaced', (t) => {
  const plan = planInstall(installed('1.0.0', { setup: { state: 'pending' } }), 'hello', '2.0.0', `${STORE}/2.0.0`, false);
  t.regex(plan.warnings[0]!, /no VM of hello 1\.0\.0 has been set up yet: no guest data is replaced/);
});

test('an upgrade over a pending upgrade supersedes it and keeps replacing the version in use', (t) => {
  const entry = installed('1.1.0', { hypervisor: 'fake', vm, replacing: { version: '1.0.0', storeDir: `${STORE}/1.0.0` } });
  const plan = planInstall(entry, 'hello', '1.2.0', `${STORE}/1.2.0`, false);
  t.deepEqual(plan.replacing, { version: '1.0.0', storeDir: `${STORE}/1.0.0` });
  t.deepEqual(plan.obsoleteStoreDirs, [`${STORE}/1.1.0`]);
});

test('an older version is refused, even with --overwrite', (t) => {
  for (const overwrite of [false, true]) {
    t.throws(() => planInstall(installed('1.2.0'), 'hello', '1.1.0', `${STORE}/1.1.0`, overwrite), {
      message: 'hello 1.1.0 is older than the installed 1.2.0; downgrades are refused',
    });
  }
});
