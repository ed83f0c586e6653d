import test from 'ava';
import { publishedApps, findApp } from '../../../src/core/apps/published-apps.js';
import { uniqueNames } from '../../../src/core/apps/unique-names.js';
import { desktopEntry } from '../../../src/core/publishing/desktop-entry.js';
import type { CatalogApp } from '../../../src/core/setup/app-catalog.js';
import { writeCatalog } from '../../../src/core/setup/app-catalog.js';
import { workspaceLayout } from '../../../src/core/workspace/layout.js';
import { resolvePaths } from '../../../src/core/paths.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';

const app = (id: string, name: string): CatalogApp => ({ id, name, kind: 'command', command: [`/usr/bin/${id}`], source: `/usr/share/applications/${id}.desktop`, origin: 'discovered' });

test('a name two workspaces publish becomes "Name (workspace)" in both, ignoring case; other names stay', (t) => {
  const names = uniqueNames([
    { workspace: 'office', apps: [app('editor', 'Editor'), app('mail', 'Mail')] },
    { workspace: 'legacy', apps: [app('edit', 'editor'), app('ie', 'Internet Explorer')] },
  ]);
  t.deepEqual([...names.get('office')!], [['editor', 'Editor (office)'], ['mail', 'Mail']]);
  t.deepEqual([...names.get('legacy')!], [['edit', 'editor (legacy)'], ['ie', 'Internet Explorer']]);
});

test('published apps carry names unique across the installed workspaces, and are still found by the guest name', async (t) => {
  const h = testHome(t);
  const paths = resolvePaths(h.env);
  for (const name of ['office', 'legacy']) {
    await h.install({ name });
    await writeCatalog(workspaceLayout(paths, name, '1.0.0'), { workspace: name, version: '1.0.0', updatedAt: new Date().toISOString(), apps: [app('editor', 'Editor'), app(`${name}-only`, `Only ${name}`)] });
  }
  const office = await publishedApps(h.core(), 'office');
  t.deepEqual(office.apps.map((entry) => [entry.name, entry.guestName]), [['Editor (office)', 'Editor'], ['Only office', undefined]]);
  t.is(findApp(office, 'editor (office)').id, 'editor');
  t.is(findApp(office, 'Editor').id, 'editor');
  t.deepEqual((await publishedApps(h.core(), 'legacy')).apps.map((entry) => entry.name), ['Editor (legacy)', 'Only legacy']);
});

test('a name is never decorated twice: one that already says its workspace stays as it is', (t) => {
  const names = uniqueNames([
    { workspace: 'demo', apps: [app('hello', 'Hello (demo)')] },
    { workspace: 'lab', apps: [app('hello', 'Hello (demo)')] },
  ]);
  t.is(names.get('demo')!.get('hello'), 'Hello (demo)');
  t.is(names.get('lab')!.get('hello'), 'Hello (demo) (lab)');
});

test('the host desktop entry of an app whose published name was made unique reads "Hello (demo)", not "Hello (demo) (demo)"', (t) => {
  const entry = desktopEntry({ id: 'hello', name: 'Hello (demo)', guestName: 'Hello', kind: 'terminal' }, 'demo', '/bin/demo-hello');
  t.regex(entry, /^Name=Hello \(demo\)$/m);
  t.regex(desktopEntry({ id: 'hello', name: 'Hello', kind: 'terminal' }, 'demo', '/bin/demo-hello'), /^Name=Hello \(demo\)$/m);
});
