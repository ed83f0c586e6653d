import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { Tokens, type Clock } from 'twinbox/plugin-api';
import { EventCodes } from '../../../src/core/events/codes.js';
import type { AppCatalog } from '../../../src/core/setup/app-catalog.js';
import type { SetupProgressEvent } from '../../../src/core/setup/progress-events.js';
import { runSetup } from '../../../src/core/setup/setup-workspace.js';
import type { SetupStatusRecord } from '../../../src/core/setup/status-record.js';
import { waitForGuestAgent } from '../../../src/core/workspace/guest-agent-connection.js';
import { testHome, tracingScript } from '../workspace/helpers/installed-workspace.js';
import { workspaceEvents } from './helpers/events.js';

const seven = () => 7;

test('setup names the guest from the mask, runs the scripts in order and publishes the filtered apps', async (t) => {
  const h = testHome(t);
  await h.install({
    manifest: {
      setup: {
        computerName: 'TB-%username%[4]-##',
        user: { name: 'alice', addToAdmins: true },
        copyTimeZone: true,
        copyLocale: true,
      },
      publishing: { include: ['hello', 'text*', 'debug*'], exclude: ['debug-*'] },
    },
    scripts: {
      'scripts/first.sh': tracingScript('first'),
      'scripts/second.sh': tracingScript('second', 'echo "second complains" >&2\n'),
    },
  });
  const core = h.core();
  const events: SetupProgressEvent[] = [];
  const result = await runSetup(core, 'office', { random: seven, onProgress: (event) => events.push(event) });

  const expectedName = `TB-${userInfo().username.replace(/[^A-Za-z0-9-]/g, '').slice(0, 4)}-77`.replace(/-+$/, '');
  t.like(result, { workspace: 'office', hypervisor: 'fake', computerName: expectedName, apps: 2, alreadyReady: false });

  const entry = h.registry().get('office');
  t.like(entry, { hypervisor: 'fake', setup: { state: 'ready', code: 0 } });
  t.truthy(entry.vm);
  const hypervisor = await core.plugins.hypervisor('fake');
  const session = await waitForGuestAgent(hypervisor, await core.plugins.guestAgent('qga'), entry.vm!, 'org.qemu.guest_agent.0', {
    timeoutMs: 10_000,
    clock: core.container.resolve<Clock>(Tokens.Clock),
  });
  t.is(await session.hostName(), expectedName, 'the guest agent reports the new name');
  await session.close();

  const root = h.guestRoot('office');
  t.is(await readFile(join(root, 'var/log/setup-runs'), 'utf8'), 'first\nsecond\n', 'each script ran once, in order');
  t.regex(await readFile(join(root, 'etc/passwd'), 'utf8'), /^alice:x:/m);
  t.regex(await readFile(join(root, 'etc/group'), 'utf8'), /^wheel:x:10:alice$/m);
  t.regex(await readFile(join(root, 'etc/timezone'), 'utf8'), /^\S+\n$/);
  t.regex(await readFile(join(root, 'etc/locale.conf'), 'utf8'), /^LANG=\S+\n$/);

  const log = await workspaceEvents(h.workspaceDir('office'));
  const output = log.filter((record) => record.code === EventCodes.setupScriptOutput).map((record) => record.message);
  t.deepEqual(output, [`first running in office as ${expectedName}`, `second running in office as ${expectedName}`, 'second complains']);
  t.true(log.some((record) => record.code === EventCodes.setupReady));

  const catalog = JSON.parse(await readFile(join(h.workspaceDir('office'), 'apps.json'), 'utf8')) as AppCatalog;
  t.deepEqual(catalog.apps.map((app) => app.id), ['hello', 'editor']);

  const record = JSON.parse(await readFile(join(h.workspaceDir('office'), 'setup-status.json'), 'utf8')) as SetupStatusRecord;
  t.like(record, { workspace: 'office', version: '1.0.0', status: 0, user: userInfo().username });
  t.regex(record.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  const started = events.filter((event) => event.type === 'step-started').map((event) => event.type === 'step-started' && event.step);
  t.deepEqual(started, ['hypervisor', 'vm', 'boot', 'agent', 'computer-name', 'time-zone', 'locale', 'user', 'script-1', 'script-2', 'apps']);
  t.is(events.at(-1)?.type, 'setup-ready');
  t.is(events.at(-1)?.percent, 100);

  const again = await runSetup(core, 'office');
  t.like(again, { alreadyReady: true, apps: 2, computerName: expectedName });
  t.is(await readFile(join(root, 'var/log/setup-runs'), 'utf8'), 'first\nsecond\n', 'a second setup runs nothing');

  await h.removeVms();
  t.deepEqual(await h.leftoverProcesses(), []);
});

test('attended setup asks for the computer name and uses the answer', async (t) => {
  const h = testHome(t);
  await h.install({ manifest: { setup: { mode: 'attended', copyTimeZone: false } } });
  const asked: string[] = [];
  const events: SetupProgressEvent[] = [];
  const result = await runSetup(h.core(), 'office', {
    onProgress: (event) => events.push(event),
    answer: async (prompt) => {
      asked.push(`${prompt.id}: ${prompt.question} [${prompt.default}]`);
      t.regex(prompt.validate?.('not valid!') ?? '', /letters, digits and dashes/);
      return 'MY-DESK';
    },
  });
  t.is(asked.length, 1);
  t.regex(asked[0]!, /^computer-name: Computer name of the guest \[TWINBOX[A-Z0-9]{8}\]$/);
  t.is(result.computerName, 'MY-DESK');
  t.is((await readFile(join(h.guestRoot('office'), 'etc/hostname'), 'utf8')).trim(), 'MY-DESK');
  t.true(events.some((event) => event.type === 'prompt-answered' && event.answer === 'MY-DESK' && event.source === 'user'));
  await h.removeVms();
  t.deepEqual(await h.leftoverProcesses(), []);
});
