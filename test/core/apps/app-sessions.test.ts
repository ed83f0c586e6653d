import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { beginSession, forgetEnded, launchCounts, readSessions } from '../../../src/core/apps/app-sessions.js';
import { resolvePaths } from '../../../src/core/paths.js';
import { workspaceLayout, type WorkspaceLayout } from '../../../src/core/workspace/layout.js';
import { tempDir } from '../../helpers/temp.js';

function layoutIn(home: string): WorkspaceLayout {
  return workspaceLayout(resolvePaths({ TWINBOX_HOME: home }), 'office', '1.0.0');
}

test('sessions are live while their app runs; ended ones leave one marker however many ran; launches are counted per app', async (t) => {
  const layout = layoutIn(tempDir(t));
  const now = Date.parse('2026-12-01T08:00:00Z');
  const first = beginSession(layout, { id: 'hello', kind: 'command' }, now);
  const second = beginSession(layout, { id: 'hello', kind: 'command' }, now);
  const third = beginSession(layout, { id: 'shell', kind: 'terminal' }, now);
  const live = readSessions(layout);
  t.deepEqual(live.live.map((record) => record.app).sort(), ['hello', 'hello', 'shell']);
  t.deepEqual(live.ended, []);
  first.end();
  second.end();
  second.end();
  t.deepEqual(readSessions(layout), { live: [{ pid: process.pid, app: 'shell', kind: 'terminal', since: '2026-12-01T08:00:00.000Z' }], ended: ['ended'], endedRdpUsers: [] });
  third.end();
  t.deepEqual(await readdir(join(layout.workspaceDir, 'sessions')), ['ended']);
  forgetEnded(layout, readSessions(layout).ended);
  t.deepEqual(readSessions(layout), { live: [], ended: [], endedRdpUsers: [] });
  t.deepEqual([...launchCounts(layout)], [['hello', 2], ['shell', 1]]);
});

test('the record of a process that died without ending its session counts as ended, not live', async (t) => {
  const layout = layoutIn(tempDir(t));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(dead.stdout);
  beginSession(layout, { id: 'hello', kind: 'command' }, Date.now());
  await writeFile(join(layout.workspaceDir, 'sessions', `live-${pid}-0.json`), JSON.stringify({ pid, app: 'editor', kind: 'gui', since: new Date().toISOString() }));
  // A RemoteApp window whose FreeRDP is gone: its account is named for the password's retirement.
  await writeFile(join(layout.workspaceDir, 'sessions', `live-${pid}-1.json`), JSON.stringify({ pid, app: 'viewer', kind: 'gui', since: new Date().toISOString(), rdpUser: 'twinbox' }));
  const sessions = readSessions(layout);
  t.deepEqual(sessions.live.map((record) => record.app), ['hello']);
  t.deepEqual(sessions.ended.sort(), [`live-${pid}-0.json`, `live-${pid}-1.json`]);
  t.deepEqual(sessions.endedRdpUsers, ['twinbox']);
});
