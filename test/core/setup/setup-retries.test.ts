import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { isTwinboxError } from 'twinbox/plugin-api';
import { EventCodes } from '../../../src/core/events/codes.js';
import type { SetupProgressEvent } from '../../../src/core/setup/progress-events.js';
import { runSetup } from '../../../src/core/setup/setup-workspace.js';
import type { SetupStatusRecord } from '../../../src/core/setup/status-record.js';
import { resetWorkspace } from '../../../src/core/workspace/reset-workspace.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';
import { workspaceEvents } from './helpers/events.js';

/** One of workspace.json's minutes lasts this long here, so that time limits run out quickly. */
const MINUTE_MS = 2_000;

test('a guest agent that never answers is retried with growing time limits, then setup fails with the step and its code', async (t) => {
  const h = testHome(t);
  await h.install({ manifest: { setup: { maxRetries: 1, timeoutMinutes: 1, retryTimeoutIncrementMinutes: 1, copyTimeZone: false, messages: { helpUrl: 'https://help.example/setup' } } } });
  const core = h.core();
  const events: SetupProgressEvent[] = [];
  const silenceTheAgent = async (step: string, point: string) => {
    if (step === 'agent' && point === 'start') await h.fake().setFaults(h.registry().get('office').vm!, { agentSilent: true });
  };

  const error = await t.throwsAsync(runSetup(core, 'office', { minuteMs: MINUTE_MS, pause: silenceTheAgent, onProgress: (event) => events.push(event) }));
  t.true(isTwinboxError(error));
  if (!isTwinboxError(error)) return;
  t.is(error.code, 'setup-failed');
  t.is(error.exit, 'timeout');
  t.regex(error.message, /failed at "Wait for the guest agent"/);
  t.regex(error.hint ?? '', /twinbox reset office.*https:\/\/help\.example\/setup/);
  t.like(error.details, { step: 'agent', code: EventCodes.setupAgentTimeout });

  const agentAttempts = events.filter((event) => event.type === 'step-started' && event.step === 'agent');
  t.deepEqual(agentAttempts.map((event) => event.type === 'step-started' && event.timeoutMs), [MINUTE_MS, 2 * MINUTE_MS], 'the second attempt gets one more minute');
  t.true(events.some((event) => event.type === 'step-retry' && event.step === 'agent' && event.timeoutMs === 2 * MINUTE_MS));
  t.like(events.at(-1), { type: 'setup-failed', step: 'agent', code: EventCodes.setupAgentTimeout, helpUrl: 'https://help.example/setup' });

  t.like(h.registry().get('office').setup, { state: 'failed', code: EventCodes.setupAgentTimeout, step: 'agent' });
  const record = JSON.parse(await readFile(join(h.workspaceDir('office'), 'setup-status.json'), 'utf8')) as SetupStatusRecord;
  t.like(record, { status: EventCodes.setupAgentTimeout, step: 'agent' });
  const log = await workspaceEvents(h.workspaceDir('office'));
  t.true(log.some((entry) => entry.code === EventCodes.setupStepRetry));
  t.true(log.some((entry) => entry.code === EventCodes.setupFailed && entry.level === 'error'));

  const refused = await t.throwsAsync(runSetup(core, 'office'));
  t.like(refused, { code: 'setup-failed' });
  t.regex((refused as Error).message, /is not retried/);

  // The way out: a reset throws the silent guest away and sets up a fresh one.
  const reset = await resetWorkspace(core, 'office', { minuteMs: 60_000 });
  t.like(reset, { alreadyReady: false, apps: 3 });
  t.like(h.registry().get('office').setup, { state: 'ready', code: 0 });
  t.is(Object.keys(await h.fake().listVms()).length, 1, 'the failed VM did not stay behind');

  await h.removeVms();
  t.deepEqual(await h.leftoverProcesses(), []);
});
