import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { findApp, publishedApps } from '../../../src/core/apps/published-apps.js';
import { refreshCatalog } from '../../../src/core/apps/refresh-catalog.js';
import { EventCodes } from '../../../src/core/events/codes.js';
import { acquireLock } from '../../../src/core/workspace/lock.js';
import { startWorkspace } from '../../../src/core/workspace/start-workspace.js';
import { suspendWorkspace } from '../../../src/core/workspace/suspend-workspace.js';
import { workspaceEvents } from '../setup/helpers/events.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';

const desktop = (name: string, exec: string, extra = '') => `[Desktop Entry]\nType=Application\nName=${name}\nExec=${exec}\n${extra}`;

test('a refresh follows the guest: a removed desktop file goes, a renamed one comes back under its new id, a renamed app keeps its id', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  await startWorkspace(core, 'office');
  t.deepEqual((await publishedApps(core, 'office')).apps.map((app) => app.id), ['debug-console', 'hello', 'editor']);

  const apps = join(h.guestRoot('office'), 'usr', 'share', 'applications');
  await rm(join(apps, 'debug-console.desktop'));
  await rename(join(apps, 'hello.desktop'), join(apps, 'greeting.desktop'));
  await writeFile(join(apps, 'editor.desktop'), desktop('Notes', '/usr/bin/editor'));

  const refreshed = await refreshCatalog(core, 'office');
  t.true(refreshed.changed);
  t.deepEqual(refreshed.changes, {
    added: ['greeting'],
    removed: ['debug-console', 'hello'],
    renamed: [{ id: 'editor', from: 'Text Editor', to: 'Notes' }],
    changed: [],
  });
  const published = await publishedApps(core, 'office');
  t.deepEqual(published.apps.map((app) => `${app.id}:${app.name}`), ['greeting:Hello', 'editor:Notes']);
  t.like(await t.throwsAsync(async () => findApp(published, 'debug-console')), { code: 'app-not-found' });
  t.is(findApp(published, 'hello').id, 'greeting', 'the old id is gone; the name finds the renamed file');
  t.is(findApp(published, 'notes').id, 'editor');

  const changes = (await workspaceEvents(h.workspaceDir('office'))).filter((event) => event.code === EventCodes.appsCatalogChanged);
  t.is(changes.length, 1);
  t.regex(changes[0]!.message, /added greeting; removed debug-console, hello; renamed editor \(Text Editor → Notes\)/);

  // Nothing changed in the guest: the catalog and the log stay as they are.
  const again = await refreshCatalog(core, 'office');
  t.false(again.changed);
  t.is((await workspaceEvents(h.workspaceDir('office'))).filter((event) => event.code === EventCodes.appsCatalogChanged).length, 1);
});

test("a refresh honours the package's include and exclude rules and keeps its declared apps", async (t) => {
  const h = testHome(t);
  await h.install({
    manifest: {
      publishing: { autoDiscover: true, include: [], exclude: ['debug*', 'secret*'], apps: [{ id: 'report', name: 'Report', kind: 'command', command: ['/usr/bin/report'] }] },
    },
  });
  const core = h.core();
  await startWorkspace(core, 'office');
  const apps = join(h.guestRoot('office'), 'usr', 'share', 'applications');
  await writeFile(join(apps, 'secret-tool.desktop'), desktop('Secret Tool', '/usr/bin/secret'));
  await writeFile(join(apps, 'mail.desktop'), desktop('Mail', '/usr/bin/mail'));
  const refreshed = await refreshCatalog(core, 'office');
  t.deepEqual(refreshed.changes.added, ['mail']);
  t.deepEqual(refreshed.apps.map((app) => `${app.id}:${app.origin}`), ['hello:discovered', 'mail:discovered', 'report:declared', 'editor:discovered']);
});

test('with publishing.enabled off no app is published: reads show none at once, a refresh empties the catalog and run is refused', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  await startWorkspace(core, 'office');
  core.settings.set('publishing.enabled', false);

  const published = await publishedApps(core, 'office');
  t.deepEqual(published.apps, []);
  t.deepEqual(published.disabled, { source: 'user' });
  t.like(await t.throwsAsync(async () => findApp(published, 'hello')), { code: 'publishing-disabled', exitCode: 4 });

  const refreshed = await refreshCatalog(core, 'office');
  t.false(refreshed.publishing);
  t.deepEqual(refreshed.changes.removed.sort(), ['debug-console', 'editor', 'hello']);
  const events = await workspaceEvents(h.workspaceDir('office'));
  t.true(events.some((event) => event.code === EventCodes.appsPublishingDisabled));

  core.settings.set('publishing.enabled', true);
  t.deepEqual((await publishedApps(core, 'office')).apps, [], 'the emptied catalog stays empty until the next refresh');
  t.deepEqual((await refreshCatalog(core, 'office')).changes.added.sort(), ['debug-console', 'editor', 'hello']);
});

test('a refresh is refused while another process holds the workspace, and on a workspace that is not running', async (t) => {
  const h = testHome(t);
  await h.install();
  const core = h.core();
  t.like(await t.throwsAsync(refreshCatalog(core, 'office')), { code: 'workspace-not-set-up', exitCode: 2 });
  await startWorkspace(core, 'office');
  const lock = acquireLock(join(h.workspaceDir('office'), 'lock'), 'office', 'test');
  t.like(await t.throwsAsync(refreshCatalog(core, 'office')), { code: 'busy', exitCode: 75 });
  lock.release();
  await suspendWorkspace(core, 'office');
  const notRunning = await t.throwsAsync(refreshCatalog(core, 'office'));
  t.like(notRunning, { code: 'vm-not-running' });
  t.regex(notRunning!.message, /is suspended/);
  t.true((await workspaceEvents(h.workspaceDir('office'))).some((event) => event.code === EventCodes.appsRefreshFailed));
});
