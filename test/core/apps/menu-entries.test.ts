import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import type { Clock } from 'twinbox/plugin-api';
import { menuEntries } from '../../../src/core/apps/menu-entries.js';
import { currentCaller } from '../../../src/core/system/caller.js';
import { readUsageCounts, recordLaunch, usageFile } from '../../../src/core/apps/usage-counts.js';
import { openCore } from '../../../src/core/open-core.js';
import { tempDir } from '../../helpers/temp.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';
import { publish } from './helpers/published.js';

test('the menu lists the published apps of every workspace, grouped by workspace and category, by name within a group', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office', manifest: { setup: { messages: { helpUrl: 'https://help.example.com/office' } } } });
  await h.install({ name: 'lab' });
  await h.install({ name: 'fresh' });
  await publish(h.core(), 'office', [
    { id: 'writer', name: 'Writer', categories: ['Office'] },
    { id: 'calc', name: 'Calc', categories: ['Office'] },
    { id: 'top', name: 'Top', kind: 'terminal' },
  ]);
  await publish(h.core(), 'lab', [{ id: 'scope', name: 'Scope' }]);

  const entries = await menuEntries(h.core());
  // fresh was never set up: it publishes nothing yet.
  t.deepEqual(entries.map((entry) => `${entry.group}:${entry.app.id}`), ['lab:scope', 'office:top', 'office / Office:calc', 'office / Office:writer']);
  t.deepEqual(entries.map((entry) => entry.key), ['lab/scope', 'office/top', 'office/calc', 'office/writer']);
  t.is(entries.find((entry) => entry.key === 'office/calc')?.helpUrl, 'https://help.example.com/office');
  t.is(entries.find((entry) => entry.key === 'lab/scope')?.helpUrl, undefined);
});

test('the most-used apps come first, and their groups before the others', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office' });
  await h.install({ name: 'lab' });
  const core = h.core();
  await publish(core, 'office', [{ id: 'calc', name: 'Calc' }, { id: 'writer', name: 'Writer' }, { id: 'draw', name: 'Draw' }]);
  await publish(core, 'lab', [{ id: 'scope', name: 'Scope' }]);
  await recordLaunch(core, 'office', 'writer');
  await recordLaunch(core, 'office', 'writer');
  await recordLaunch(core, 'office', 'draw');

  const entries = await menuEntries(core);
  t.deepEqual(entries.map((entry) => `${entry.key}=${entry.uses}`), ['office/writer=2', 'office/draw=1', 'office/calc=0', 'lab/scope=0']);
});

test('launches are counted per user in a private file replaced whole, with the time of the last one', async (t) => {
  const h = testHome(t);
  const fixed: Clock = { now: () => Date.UTC(2026, 0, 2, 3, 4, 5), sleep: async () => undefined };
  const core = openCore({ env: h.env, clock: fixed });
  t.deepEqual([...(await readUsageCounts(core))], []);
  await recordLaunch(core, 'office', 'calc');
  const second = await recordLaunch(core, 'office', 'calc');
  t.deepEqual(second, { count: 2, lastUsedAt: '2026-01-02T03:04:05.000Z' });
  t.is(statSync(usageFile(core)).mode & 0o777, 0o600);
  t.deepEqual([...(await readUsageCounts(core))], [['office/calc', second]]);
});

test('launches counted at once, in this process and in two others, are all counted', async (t) => {
  const h = testHome(t);
  const core = h.core();
  const module = new URL('../../../src/core/apps/usage-counts.js', import.meta.url).href;
  const opener = new URL('../../../src/core/open-core.js', import.meta.url).href;
  const script = `const { recordLaunch } = await import(${JSON.stringify(module)}); const { openCore } = await import(${JSON.stringify(opener)});
    const core = openCore({ env: process.env }); for (let i = 0; i < 100; i++) await recordLaunch(core, 'office', 'calc');`;
  const other = () => execa(process.execPath, ['--input-type=module', '-e', script], { env: h.env, extendEnv: false });
  await Promise.all([other(), other(), ...Array.from({ length: 100 }, () => recordLaunch(core, 'office', 'calc'))]);
  t.is((await readUsageCounts(core)).get('office/calc')?.count, 300);
});

test('a damaged usage file counts as no launches yet and is replaced by the next launch', async (t) => {
  const h = testHome(t);
  const core = h.core();
  writeFileSync(usageFile(core), '{"version":1,"apps":');
  t.deepEqual([...(await readUsageCounts(core))], []);
  writeFileSync(usageFile(core), JSON.stringify({ version: 1, apps: { 'office/calc': { count: -3 }, 'office/ok': { count: 4, lastUsedAt: 'x' } } }));
  t.deepEqual([...(await readUsageCounts(core)).keys()], ['office/ok']);
  t.like(await recordLaunch(core, 'office', 'calc'), { count: 1 });
});

test('a workspace that access.workspaces keeps from this user is not in the menu', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office' });
  await h.install({ name: 'secret' });
  await h.install({ name: 'team' });
  await publish(h.core(), 'office', [{ id: 'calc', name: 'Calc' }]);
  await publish(h.core(), 'secret', [{ id: 'vault', name: 'Vault' }]);
  await publish(h.core(), 'team', [{ id: 'chat', name: 'Chat' }]);
  const me = currentCaller();
  const policyDir = tempDir(t, 'tbx-policy-');
  writeFileSync(join(policyDir, 'policy.json'), JSON.stringify({ 'access.workspaces': { secret: ['someone-else', '@no-such-group'], team: [`@${me.groups[0] ?? 'none'}`, me.user] } }));
  const core = openCore({ env: { ...h.env, TWINBOX_POLICY_DIR: policyDir } });

  t.deepEqual((await menuEntries(core)).map((entry) => entry.key), ['office/calc', 'team/chat']);
  // Another user, in no group, sees only the open workspace.
  t.deepEqual((await menuEntries(core, { user: 'mallory', groups: [] })).map((entry) => entry.key), ['office/calc']);
  // A member of the listed group gets in by the group alone.
  if (me.groups[0]) t.deepEqual((await menuEntries(core, { user: 'mallory', groups: [me.groups[0]] })).map((entry) => entry.key), ['office/calc', 'team/chat']);
});
