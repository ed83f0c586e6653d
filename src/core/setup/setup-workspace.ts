import { TwinboxError, type VmRef } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import type { Core } from '../open-core.js';
import { completeUpgrade } from '../package/complete-upgrade.js';
import { effectiveManifest } from '../settings/effective-manifest.js';
import { withWorkspaceLock } from '../workspace/workspace-lock.js';
import { openWorkspace, type Workspace } from '../workspace/open-workspace.js';
import type { WorkspaceEntry } from '../workspace/registry.js';
import { readCatalog } from './app-catalog.js';
import { hostFacts } from './host-facts.js';
import { SetupJournal } from './journal.js';
import type { LogLineEvent, ProgressListener, SetupMode } from './progress-events.js';
import { ProgressTracker, type UntimedEvent } from './progress-tracker.js';
import { takeDefaults, type PromptAnswerer, type SetupPrompt } from './prompts.js';
import { logSetupEvent } from './setup-event-log.js';
import { planSetup } from './setup-plan.js';
import { SetupRun, STEP, vmTarget } from './setup-run-context.js';
import { readStatusRecord, writeStatusRecord } from './status-record.js';
import { refuseMissingSetupShares } from './shared-folders-check.js';
import { runSteps, type PausePoint, type SetupStep } from './step-runner.js';
import { testHooks } from './test-hooks.js';
import { crashPoint } from '../workspace/crash-points.js';

export interface SetupOptions {
  /** Overrides workspace.json's setup.mode. */
  mode?: SetupMode;
  onProgress?: ProgressListener;
  /** Answers prompts in attended mode; without one, defaults are taken. */
  answer?: PromptAnswerer;
  /** How long one of workspace.json's minutes lasts (tests shorten it). */
  minuteMs?: number;
  /** Cancelling leaves setup resumable, not failed. */
  signal?: AbortSignal;
  /** Holds a step at a point (tests kill the process there). */
  pause?: (step: string, point: PausePoint) => Promise<void>;
  /** For repeatable computer names in tests. */
  random?: (below: number) => number;
}

export interface SetupResult {
  workspace: string;
  version: string;
  hypervisor: string;
  computerName?: string;
  apps: number;
  elapsedMs: number;
  /** Nothing was done: the workspace was set up before. */
  alreadyReady: boolean;
  /** Steps an interrupted earlier run had finished. */
  resumedAfter: string[];
}

const MINUTE_MS = 60_000;
/** How many of the failing step's last log lines go into the failure record. */
const FAILURE_LOG_LINES = 20;

function resetHint(name: string, helpUrl?: string): string {
  return `run \`twinbox reset ${name}\` to set it up again from the base image${helpUrl ? `; help: ${helpUrl}` : ''}`;
}

/**
 * First-time setup of an installed workspace, under the workspace's lock: a journaled
 * pipeline of idempotent steps that resumes where an interrupted run stopped, retries failing
 * steps with growing time limits, and ends with the workspace ready (or failed, with the
 * failing step, its event code and log lines) and a status record for monitoring.
 */
export async function runSetup(core: Core, name: string, options: SetupOptions = {}): Promise<SetupResult> {
  const ws = openWorkspace(core, name);
  return withWorkspaceLock(ws, 'setup', () => setupLocked(ws, options));
}

/** For callers that already hold the workspace's lock (start, reset). */
export async function setupLocked(ws: Workspace, options: SetupOptions = {}): Promise<SetupResult> {
  const entry = ws.entry();
  if (entry.setup.state === 'ready') return alreadyReady(ws, entry);
  if (entry.setup.state === 'failed') throw await failedBefore(ws, entry);

  // Policy and the user's settings govern what the package chose (setup mode, name mask, retries…).
  const manifest = await effectiveManifest(ws.core.settings, ws.name, entry.storeDir);
  const env = ws.core.env;
  const hooks = testHooks(env, ws.layout.workspaceDir);
  const minuteMs = options.minuteMs ?? hooks.minuteMs ?? MINUTE_MS;
  const mode = options.mode ?? manifest.setup.mode;
  const journal = await SetupJournal.open(ws.layout.journalFile, ws.name, entry.version, () => ws.clock.now());
  await refuseMissingSetupShares(ws, manifest, journal);
  const host = hostFacts(env);
  const run = new SetupRun(ws, entry, manifest, journal, mode, host, vmTarget(ws, entry), options.random);
  const steps = planSetup(run);
  const tracker = new ProgressTracker(ws.clock, steps.map((step) => step.weight));

  const recentLines = new Map<string, string[]>();
  const emit = (event: UntimedEvent): void => {
    const timed = tracker.stamp(event);
    logSetupEvent(ws.events, timed);
    if (timed.type === 'log-line') remember(recentLines, timed);
    options.onProgress?.(timed);
  };
  const ask = async (step: string, prompt: SetupPrompt): Promise<string> => {
    if (mode !== 'attended') return prompt.default;
    emit({ type: 'prompt', step, id: prompt.id, question: prompt.question, default: prompt.default });
    const given = (await (options.answer ?? takeDefaults)(prompt))?.trim();
    const usable = given && !prompt.validate?.(given) ? given : undefined;
    const answer = usable ?? prompt.default;
    emit({ type: 'prompt-answered', step, id: prompt.id, answer, source: usable ? 'user' : 'default' });
    return answer;
  };

  const resumedAfter = journal.doneSteps().filter((id) => steps.some((step) => step.id === id));
  await ws.update((current) => ({ ...current, setup: { state: 'running', updatedAt: stamp(ws) } }));
  crashPoint('setup:running');
  emit({
    type: 'setup-started',
    workspace: ws.name,
    version: entry.version,
    mode,
    steps: steps.map((step) => ({ id: step.id, title: step.title })),
    resumedAfter,
    message: manifest.setup.messages.start,
  });
  for (const step of steps) {
    if (journal.step(step.id)?.state === 'started') emit({ type: 'log-line', step: step.id, stream: 'warn', line: `step ${step.id} was interrupted; running it again` });
  }

  let outcome;
  try {
    outcome = await runSteps(steps, {
      journal,
      policy: {
        maxRetries: manifest.setup.maxRetries,
        timeoutMs: manifest.setup.timeoutMinutes * minuteMs,
        incrementMs: manifest.setup.retryTimeoutIncrementMinutes * minuteMs,
      },
      clock: ws.clock,
      tracker,
      emit,
      ask,
      pause: options.pause ?? hooks.pause,
      onStepStart: async (step) => {
        await ws.update((current) => ({ ...current, setup: { state: 'running', step: step.id, updatedAt: stamp(ws) } }));
      },
      signal: options.signal,
    });
  } finally {
    await run.dropAgent();
  }
  if (outcome.ok) return finish(run, tracker.elapsedMs(), resumedAfter, emit);
  if (options.signal?.aborted) throw new TwinboxError('cancelled', `setup of "${ws.name}" was cancelled`, { hint: `run \`twinbox setup ${ws.name}\` to resume it` });
  throw await fail(run, outcome.step, outcome.error, recentLines.get(outcome.step.id) ?? [], tracker.elapsedMs(), emit);
}

function stamp(ws: Workspace): string {
  return new Date(ws.clock.now()).toISOString();
}

function remember(lines: Map<string, string[]>, event: LogLineEvent): void {
  const kept = lines.get(event.step) ?? [];
  kept.push(event.stream === 'stdout' ? event.line : `${event.stream}: ${event.line}`);
  lines.set(event.step, kept.slice(-FAILURE_LOG_LINES));
}

/**
 * Once the new version is ready, the package code drops the old one from the store. If that
 * fails the workspace still works; the next setup (which finds it ready) tries again.
 */
async function finishUpgrade(ws: Workspace): Promise<void> {
  const entry = ws.entry();
  if (!entry.replacing) return;
  try {
    await completeUpgrade(ws.core, ws.name);
  } catch (error) {
    ws.events.event('warn', EventCodes.setupUpgradeIncomplete, `version ${entry.version} is ready, but the upgrade from ${entry.replacing.version} could not be finished: ${(error as Error).message}`);
  }
}

async function alreadyReady(ws: Workspace, entry: WorkspaceEntry): Promise<SetupResult> {
  await finishUpgrade(ws);
  const journal = await SetupJournal.open(ws.layout.journalFile, ws.name, entry.version, () => ws.clock.now());
  const name = journal.data(STEP.computerName)?.name;
  return {
    workspace: ws.name,
    version: entry.version,
    hypervisor: entry.hypervisor ?? '',
    computerName: typeof name === 'string' ? name : undefined,
    apps: (await readCatalog(ws.layout))?.apps.length ?? 0,
    elapsedMs: 0,
    alreadyReady: true,
    resumedAfter: [],
  };
}

async function failedBefore(ws: Workspace, entry: WorkspaceEntry): Promise<TwinboxError> {
  const record = await readStatusRecord(ws.layout);
  const why = record?.message ? `: ${record.message}` : '';
  return new TwinboxError('setup-failed', `first-time setup of "${ws.name}" failed at step ${entry.setup.step ?? '?'} (event ${entry.setup.code ?? '?'})${why}; it is not retried`, {
    hint: resetHint(ws.name),
    details: { step: entry.setup.step, code: entry.setup.code, log: record?.log },
  });
}

/** During an upgrade the old version's VM goes first: a crash after that finds the upgrade still to finish, not a VM nobody knows. */
async function removeReplacedVm(run: SetupRun, emit: (event: UntimedEvent) => void): Promise<void> {
  const { entry, ws } = run;
  if (!run.upgrading || !entry.vm || !entry.hypervisor) return;
  const old: VmRef = entry.vm;
  try {
    const hypervisor = await ws.core.plugins.hypervisor(entry.hypervisor);
    await hypervisor.stop(old, { timeoutMs: 60_000 }).catch(() => undefined);
    await hypervisor.remove(old);
    crashPoint('upgrade:old-vm-removed');
    emit({ type: 'log-line', step: STEP.apps, stream: 'info', line: `removed the VM of version ${entry.replacing?.version ?? 'before'}` });
  } catch (error) {
    emit({ type: 'log-line', step: STEP.apps, stream: 'warn', line: `the old version's VM could not be removed: ${(error as Error).message}` });
  }
}

async function finish(run: SetupRun, elapsedMs: number, resumedAfter: string[], emit: (event: UntimedEvent) => void): Promise<SetupResult> {
  const { ws, journal, entry } = run;
  await removeReplacedVm(run, emit);
  const hypervisor = run.hypervisorName;
  const vm = run.vm();
  const computerName = run.computerName;
  const apps = Number(journal.data(STEP.apps)?.apps ?? 0);
  const time = stamp(ws);
  await ws.update((current) => ({ ...current, hypervisor, vm, setup: { state: 'ready', code: 0, updatedAt: time } }));
  crashPoint('setup:ready');
  await writeStatusRecord(ws.layout, {
    workspace: ws.name,
    version: entry.version,
    user: run.host.username,
    host: run.host.hostname,
    status: 0,
    time,
    durationMs: elapsedMs,
  });
  crashPoint('setup:status-written');
  emit({ type: 'setup-ready', workspace: ws.name, computerName, apps });
  await finishUpgrade(ws);
  return { workspace: ws.name, version: entry.version, hypervisor, computerName, apps, elapsedMs, alreadyReady: false, resumedAfter };
}

async function fail(
  run: SetupRun,
  step: SetupStep,
  error: TwinboxError,
  log: string[],
  elapsedMs: number,
  emit: (event: UntimedEvent) => void,
): Promise<TwinboxError> {
  const { ws, entry, manifest } = run;
  const time = stamp(ws);
  const code = step.failureCode;
  const hint = resetHint(ws.name, manifest.setup.messages.helpUrl);
  await ws.update((current) => ({ ...current, setup: { state: 'failed', code, step: step.id, updatedAt: time } }));
  await writeStatusRecord(ws.layout, {
    workspace: ws.name,
    version: entry.version,
    user: run.host.username,
    host: run.host.hostname,
    status: code,
    time,
    durationMs: elapsedMs,
    step: step.id,
    message: error.message,
    log,
  });
  emit({
    type: 'setup-failed',
    workspace: ws.name,
    step: step.id,
    code,
    message: error.message,
    hint,
    failureMessage: manifest.setup.messages.failure,
    helpUrl: manifest.setup.messages.helpUrl,
  });
  return new TwinboxError('setup-failed', `first-time setup of "${ws.name}" failed at "${step.title}": ${error.message}`, {
    hint,
    exit: error.exit === 'timeout' ? 'timeout' : 'failed',
    details: { step: step.id, code, log },
    cause: error,
  });
}
