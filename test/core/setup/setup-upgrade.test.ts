import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { runSetup } from '../../../src/core/setup/setup-workspace.js';
import { workspaceStatus } from '../../../src/core/workspace/workspace-status.js';
import { GUEST_FILES, testHome } from '../workspace/helpers/installed-workspace.js';

test('during an upgrade the old VM serves until the new version is set up, then it and the old package go', async (t) => {
  const h = testHome(t);
  await h.install({ manifest: { setup: { copyTimeZone: false } } });
  const core = h.core();
  await runSetup(core, 'office');
  const old = h.registry().get('office');

  // What `twinbox install` of a newer version leaves: the new package, the old VM still in use.
  const next = await h.install({
    version: '2.0.0',
    manifest: { setup: { copyTimeZone: false } },
    files: { ...GUEST_FILES, 'usr/share/applications/new-tool.desktop': '[Desktop Entry]\nType=Application\nName=New Tool\nExec=/usr/bin/new-tool\n' },
  });
  h.registry().put({ ...next, hypervisor: old.hypervisor, vm: old.vm, replacing: { version: old.version, storeDir: old.storeDir } });
  t.like(await workspaceStatus(core, 'office'), { state: 'running', version: '2.0.0' }, 'the old VM keeps serving while the upgrade waits');

  const result = await runSetup(core, 'office');
  t.like(result, { version: '2.0.0', apps: 4 });
  const upgraded = h.registry().get('office');
  t.is(upgraded.replacing, undefined);
  t.like(upgraded, { version: '2.0.0', setup: { state: 'ready', code: 0 } });
  t.is(upgraded.vm?.vmDir, join(h.workspaceDir('office'), 'vm-2.0.0'));
  t.notDeepEqual(upgraded.vm, old.vm);
  t.deepEqual(Object.values(await h.fake().listVms()), [upgraded.vm!.vmDir], 'only the new VM is left');
  t.false(existsSync(old.storeDir), 'the old version left the store');
  t.like(await workspaceStatus(core, 'office'), { state: 'running', apps: 4 });

  await h.removeVms();
  t.deepEqual(await h.leftoverProcesses(), []);
});
