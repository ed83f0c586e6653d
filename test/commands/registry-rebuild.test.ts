import { existsSync, readdirSync, readFileSync, rmSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { EventCodes } from '../../src/core/events/codes.js';
import type { EventRecord } from '../../src/core/events/event-log.js';
import type { WorkspaceStatus } from '../../src/core/workspace/workspace-status.js';
import { testHome, type TestHome } from '../core/workspace/helpers/installed-workspace.js';
import { twinbox } from '../helpers/cli.js';

const events = (file: string): EventRecord[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as EventRecord)
    : [];

async function readyWorkspace(t: import('ava').ExecutionContext): Promise<{ h: TestHome; registryFile: string; dataDir: string }> {
  const h = testHome(t);
  await h.install({ name: 'office' });
  const setup = await twinbox(['setup', 'office', '--mode', 'silent'], h.env);
  t.is(setup.exitCode, 0, setup.stderr);
  const dataDir = join(h.workspaceDir('office'), '..', '..');
  return { h, registryFile: join(dataDir, 'registry.json'), dataDir };
}

async function statusAfterDamage(t: import('ava').ExecutionContext, h: TestHome, dataDir: string, what: RegExp) {
  const status = await twinbox(['status', '--json'], h.env);
  t.is(status.exitCode, 0, status.stderr);
  const [office] = JSON.parse(status.stdout) as WorkspaceStatus[];
  t.like(office, { name: 'office', state: 'running', hypervisor: 'fake', setup: { state: 'ready' } }, 'the running VM is adopted');
  const lines = status.stderr.split('\n').filter(Boolean);
  t.is(lines.length, 1, JSON.stringify(lines));
  t.regex(lines[0]!, what);
  t.regex(lines[0]!, /rebuilt it from the workspace folders: office$/);

  const own = events(join(dataDir, 'events.jsonl')).filter((event) => event.code === EventCodes.registryRebuilt);
  t.is(own.length, 1);
  t.like(own[0], { level: 'warn', category: 'package', fields: { workspaces: ['office'] } });
  const workspace = events(join(h.workspaceDir('office'), 'events.jsonl')).filter((event) => event.code === EventCodes.registryRebuilt);
  t.is(workspace.length, 1, JSON.stringify(workspace));
  t.like(workspace[0], { fields: { workspace: 'office', from: 'record', hypervisor: 'fake' } });

  const again = await twinbox(['status'], h.env);
  t.is(again.exitCode, 0);
  t.is(again.stderr, '', 'once rebuilt, the registry is trusted again');
  t.regex(again.stdout, /^office\s+user\s+1\.0\.0\s+fake\s+running/m);
  const stop = await twinbox(['stop', 'office', '--timeout', '10'], h.env);
  t.is(stop.exitCode, 0, `the adopted VM can be stopped: ${stop.stderr}`);
}

test('a registry truncated mid-JSON is rebuilt from the workspace folders, kept aside, said once, and its running VM adopted', async (t) => {
  const { h, registryFile, dataDir } = await readyWorkspace(t);
  truncateSync(registryFile, Math.floor(statSync(registryFile).size / 2));
  await statusAfterDamage(t, h, dataDir, /^twinbox: the workspace registry .*registry\.json was damaged \(.+\) and was kept aside as .*registry\.json\.corrupt-/);
  const backups = readdirSync(dataDir).filter((name) => name.startsWith('registry.json.corrupt-'));
  t.is(backups.length, 1, 'the damaged copy is kept');
});

test('a deleted registry is rebuilt from the workspace folders and its running VM adopted', async (t) => {
  const { h, registryFile, dataDir } = await readyWorkspace(t);
  rmSync(registryFile);
  await statusAfterDamage(t, h, dataDir, /^twinbox: the workspace registry .*registry\.json was missing;/);
});

test('an install made before workspaces kept their own copy is found again from its package in the store', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'legacy', version: '2.1.0' });
  const registryFile = join(h.home, 'data', 'registry.json');
  t.true(existsSync(registryFile));
  rmSync(registryFile);
  const status = await twinbox(['status', '--json'], h.env);
  t.is(status.exitCode, 0, status.stderr);
  t.like((JSON.parse(status.stdout) as WorkspaceStatus[])[0], { name: 'legacy', version: '2.1.0', state: 'not-created', setup: { state: 'pending' } });
  t.regex(status.stderr, /rebuilt it from the workspace folders: legacy \(from its package only: its VM, if any, is not known\)\n$/);
});

test('an uninstalled workspace is not brought back by a rebuild, even with its folder kept', async (t) => {
  const { h, registryFile } = await readyWorkspace(t);
  const uninstall = await twinbox(['uninstall', 'office', '--keep-user-data'], h.env);
  t.is(uninstall.exitCode, 0, uninstall.stderr);
  t.true(existsSync(h.workspaceDir('office')));
  rmSync(registryFile, { force: true });
  const status = await twinbox(['status'], h.env);
  t.is(status.exitCode, 0);
  t.regex(status.stdout, /no workspaces are installed/);
  t.is(status.stderr, '');
});
