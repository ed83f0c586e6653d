import { isTwinboxError, Tokens, TwinboxError, type Clock } from '../../plugin-api/index.js';
import { readSessions } from '../apps/app-sessions.js';
import { connectGuest } from '../apps/guest-session.js';
import { EventCodes } from '../events/codes.js';
import { reasonOf } from '../error-reason.js';
import type { Core } from '../open-core.js';
import type { Settings } from '../settings/settings.js';
import { CoreTokens } from '../tokens.js';
import { attachedVm, vmMissing } from '../workspace/attached-vm.js';
import { readGuestOs } from '../workspace/guest-os.js';
import { unmountBeforeSuspend } from '../redirection/workspace-shares.js';
import { openWorkspace, type Workspace } from '../workspace/open-workspace.js';
import { bringUp } from '../workspace/start-workspace.js';
import { shutDown } from '../workspace/stop-workspace.js';
import { withWorkspaceLock } from '../workspace/workspace-lock.js';
import {
  interruptedWindow,
  readMaintenanceRecord,
  writeMaintenanceRecord,
  type BeforeState,
  type MaintenanceInProgress,
  type MaintenanceOutcome,
  type MaintenanceRecord,
} from './maintenance-record.js';

/** The maintenance.* settings a window runs by. */
export interface MaintenancePolicy {
  commands: readonly string[];
  windowMs: number;
  commandTimeoutMs: number;
  whenInUse: 'skip' | 'wait';
}

export function maintenancePolicy(settings: Settings): MaintenancePolicy {
  return {
    commands: settings.get('maintenance.commands'),
    windowMs: settings.get('maintenance.windowMinutes') * 60_000,
    commandTimeoutMs: settings.get('maintenance.commandTimeoutMinutes') * 60_000,
    whenInUse: settings.get('maintenance.whenInUse'),
  };
}

export interface MaintenanceOptions {
  policy: MaintenancePolicy;
  /** Measures the window; the host agent's clock (tests pass a manual one). */
  clock: Clock;
  /** The scheduled time the window is for; absent when run by hand. */
  slot?: Date;
  onProgress?: (message: string) => void;
}

/** How much of a command's output goes to the event log: its last 4 KiB. */
const OUTPUT_TAIL_BYTES = 4096;
/** How often a window waiting for apps to end looks again. */
export const APP_POLL_MS = 5_000;
/** The longest the guest agent of a just-started VM may take to answer. */
const AGENT_MAX_MS = 300_000;

function tail(stdout: Uint8Array, stderr: Uint8Array): string {
  const text = `${Buffer.from(stdout).toString('utf8')}${Buffer.from(stderr).toString('utf8')}`.trimEnd();
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= OUTPUT_TAIL_BYTES ? text : `…${bytes.subarray(bytes.length - OUTPUT_TAIL_BYTES).toString('utf8')}`;
}

class WindowClosed extends Error {}

function notSetUp(name: string): TwinboxError {
  return new TwinboxError('not-set-up', `workspace "${name}" is not set up, so it has no guest to maintain`, {
    hint: `set it up with \`twinbox setup ${name}\``,
    exit: 'usage',
    details: { workspace: name },
  });
}

function apps(ws: Workspace): number {
  return readSessions(ws.layout).live.length;
}

/**
 * Puts the workspace back in the state a window found it in: a stopped one is shut down, a
 * suspended one suspended again (shut down where the hypervisor cannot suspend). One an app is
 * running in is left running: the window never ends a user's session.
 */
async function putBack(ws: Workspace, before: BeforeState): Promise<string | undefined> {
  if (before === 'running') return undefined;
  if (apps(ws) > 0) {
    ws.events.event('info', EventCodes.maintenanceRestoreFailed, `the workspace was left running rather than ${before}: an app is in use`, { before });
    return undefined;
  }
  try {
    const target = await attachedVm(ws);
    const state = await target.hypervisor.state(target.vm);
    if (state.state === before) return undefined;
    if (before === 'suspended' && target.hypervisor.capabilities().suspend && (state.state === 'running' || state.state === 'paused')) {
      await unmountBeforeSuspend(ws, target.vm, state.state);
      await target.hypervisor.suspend(target.vm);
      ws.events.event('info', EventCodes.vmSuspended, 'the VM was suspended again after maintenance (memory saved to disk)');
      return undefined;
    }
    await shutDown(ws, {});
    return undefined;
  } catch (error) {
    const reason = `the workspace could not be put back ${before}: ${reasonOf(error)}`;
    ws.events.event('error', EventCodes.maintenanceRestoreFailed, reason, { before });
    return reason;
  }
}

async function finish(ws: Workspace, record: MaintenanceRecord, outcome: MaintenanceOutcome, endedAt: number): Promise<MaintenanceOutcome> {
  const next: MaintenanceRecord = { ...record, current: undefined, last: outcome };
  if (outcome.slot) next.lastSlot = outcome.slot;
  if (outcome.result === 'success') next.lastSuccessAt = new Date(endedAt).toISOString();
  await writeMaintenanceRecord(ws.layout, next);
  return outcome;
}

/** Finishes a window cut short (its process is gone): puts the workspace back. Call under the lock. */
async function finishInterrupted(ws: Workspace, record: MaintenanceRecord, now: number): Promise<MaintenanceOutcome> {
  const current = record.current!;
  const failed = await putBack(ws, current.before);
  const error = `the window was cut short (process ${current.pid} ended while ${current.phase})${failed ? `; ${failed}` : ''}`;
  ws.events.event('warn', EventCodes.maintenanceRecovered, `${error}: the workspace was put back ${current.before}`, { before: current.before, pid: current.pid });
  const outcome: MaintenanceOutcome = { result: 'interrupted', startedAt: current.startedAt, durationMs: Math.max(0, now - Date.parse(current.startedAt)), error };
  if (current.slot) outcome.slot = current.slot;
  return finish(ws, record, outcome, now);
}

/** Puts back a workspace whose window was cut short; the host agent calls it each round it finds one. */
export async function recoverMaintenance(core: Core, name: string, clock: Clock): Promise<MaintenanceOutcome | undefined> {
  const ws = openWorkspace(core, name);
  return withWorkspaceLock(ws, 'maintenance', async () => {
    const record = await readMaintenanceRecord(ws.layout);
    return interruptedWindow(record) ? finishInterrupted(ws, record, clock.now()) : undefined;
  });
}

/** Records a window that was not run (in use, missed), without touching the workspace. */
export async function recordNotRun(ws: Workspace, result: 'skipped-in-use' | 'missed', slot: Date | undefined, now: number, why: string): Promise<MaintenanceOutcome> {
  const record = await readMaintenanceRecord(ws.layout);
  const outcome: MaintenanceOutcome = { result, startedAt: new Date(now).toISOString(), durationMs: 0, error: why };
  if (slot) outcome.slot = slot.toISOString();
  ws.events.event('warn', result === 'missed' ? EventCodes.maintenanceMissed : EventCodes.maintenanceSkippedInUse, `the maintenance window was not run: ${why}`, { slot: outcome.slot });
  return finish(ws, record, outcome, now);
}

/**
 * MED-V's maintenance window on one workspace, under its lock for the whole window: a stopped or
 * suspended workspace is started or resumed, maintenance.commands run in the guest one by one
 * through its guest agent (each bounded by maintenance.commandTimeoutMinutes and by what is left
 * of the window), each one's output going to the event log, and the workspace is put back in
 * the state it was in — also after a failure or an overrun. The window is recorded in
 * `<workspace>/maintenance.json` before anything changes, so one cut short is finished by the
 * next run or agent round.
 */
export async function runMaintenance(core: Core, name: string, options: MaintenanceOptions): Promise<MaintenanceOutcome> {
  const ws = openWorkspace(core, name);
  const entry = ws.entry();
  if (entry.setup.state !== 'ready' || !entry.vm) throw notSetUp(name);
  const { policy, clock } = options;
  return withWorkspaceLock(ws, 'maintenance', async () => {
    let record = await readMaintenanceRecord(ws.layout);
    if (record.current) {
      await finishInterrupted(ws, record, clock.now());
      record = await readMaintenanceRecord(ws.layout);
    }
    const slot = options.slot?.toISOString();
    const startedMs = clock.now();
    const startedAt = new Date(startedMs).toISOString();
    const deadline = startedMs + policy.windowMs;
    const target = await attachedVm(ws);
    const state = (await target.hypervisor.state(target.vm)).state;
    if (state === 'not-created') throw vmMissing(ws, 'the VM is gone');
    const before: BeforeState = state === 'running' ? 'running' : state === 'suspended' || state === 'paused' ? 'suspended' : 'stopped';
    if (apps(ws) > 0 && policy.whenInUse === 'skip') {
      return recordNotRun(ws, 'skipped-in-use', options.slot, startedMs, 'an app was running as the window opened (maintenance.whenInUse is skip)');
    }
    const current: MaintenanceInProgress = { pid: process.pid, startedAt, before, deadline: new Date(deadline).toISOString(), whenInUse: policy.whenInUse, phase: 'starting', done: 0 };
    if (slot) current.slot = slot;
    const progress = async (phase: MaintenanceInProgress['phase']) => {
      current.phase = phase;
      await writeMaintenanceRecord(ws.layout, { ...record, current });
    };
    await progress('starting');
    ws.events.event('info', EventCodes.maintenanceStarted, `maintenance started (${policy.commands.length} command(s), the workspace was ${before})`, { before, slot, commands: policy.commands.length });
    options.onProgress?.(`maintenance of ${name} started (it was ${before})`);

    let result: MaintenanceOutcome['result'] = 'success';
    let error: string | undefined;
    try {
      if (apps(ws) > 0) {
        await progress('waiting-for-apps');
        ws.events.event('info', EventCodes.maintenanceWaitingForApps, 'an app is running: the window waits for it to end (maintenance.whenInUse is wait)');
        options.onProgress?.('waiting for the running apps to end');
        while (apps(ws) > 0) {
          if (clock.now() >= deadline) throw new WindowClosed('apps were still running when the window closed');
          await clock.sleep(Math.min(APP_POLL_MS, deadline - clock.now()));
        }
      }
      if (before !== 'running') {
        await bringUp(ws, { agentTimeoutMs: Math.max(1, Math.min(AGENT_MAX_MS, deadline - clock.now())), onProgress: options.onProgress });
      }
      await progress('commands');
      const windows = readGuestOs(ws.layout)?.id === 'mswindows';
      for (const [index, command] of policy.commands.entries()) {
        const left = deadline - clock.now();
        if (left <= 0) throw new WindowClosed(`the window closed before command ${index + 1} of ${policy.commands.length}`);
        const timeoutMs = Math.min(policy.commandTimeoutMs, left);
        options.onProgress?.(`running: ${command}`);
        const { session } = await connectGuest(ws, Math.min(timeoutMs, AGENT_MAX_MS));
        let exitCode: number | null;
        let output: string;
        try {
          const ran = await session.exec({ path: windows ? 'cmd.exe' : '/bin/sh', args: [windows ? '/c' : '-c', command], timeoutMs });
          exitCode = ran.exitCode;
          output = tail(ran.stdout, ran.stderr);
        } catch (failure) {
          if (isTwinboxError(failure) && failure.code === 'guest-agent-timeout') {
            if (timeoutMs < policy.commandTimeoutMs) throw new WindowClosed(`command ${index + 1} (${command}) was still running when the window closed`);
            throw new Error(`command ${index + 1} (${command}) did not finish within ${Math.round(timeoutMs / 1000)} s`);
          }
          throw failure;
        } finally {
          await session.close().catch(() => undefined);
        }
        const fields = { command, index, exitCode, output };
        ws.events.event(exitCode === 0 ? 'info' : 'error', exitCode === 0 ? EventCodes.maintenanceCommandOutput : EventCodes.maintenanceCommandFailed, `maintenance command ${index + 1} exited ${exitCode ?? 'by a signal'}: ${command}${output ? `\n${output}` : ''}`, fields);
        if (exitCode !== 0) throw new Error(`command ${index + 1} (${command}) exited ${exitCode ?? 'by a signal'}`);
        current.done = index + 1;
        await progress('commands');
      }
      if (clock.now() > deadline) throw new WindowClosed('the commands ended after the window had closed');
    } catch (failure) {
      result = failure instanceof WindowClosed ? 'overrun' : 'failed';
      error = reasonOf(failure);
    }
    await progress('putting-back');
    const restoreProblem = await putBack(ws, before);
    if (restoreProblem && result === 'success') {
      result = 'failed';
      error = restoreProblem;
    } else if (restoreProblem) error = `${error}; ${restoreProblem}`;
    const endedMs = clock.now();
    const outcome: MaintenanceOutcome = { result, startedAt, durationMs: endedMs - startedMs };
    if (slot) outcome.slot = slot;
    if (error) outcome.error = error;
    const seconds = Math.round(outcome.durationMs / 1000);
    if (result === 'success') ws.events.event('info', EventCodes.maintenanceSucceeded, `maintenance done in ${seconds} s; the workspace is ${before} again`, { before, durationMs: outcome.durationMs });
    else ws.events.event('error', result === 'overrun' ? EventCodes.maintenanceOverrun : EventCodes.maintenanceFailed, `maintenance ${result === 'overrun' ? 'overran its window' : 'failed'} after ${seconds} s: ${error}; the workspace was put back ${before}`, { before, durationMs: outcome.durationMs, error });
    return finish(ws, record, outcome, endedMs);
  });
}

/** `twinbox maintenance run`: the same window, now, by the settings in force and the core's clock. */
export function runMaintenanceNow(core: Core, name: string, onProgress?: (message: string) => void): Promise<MaintenanceOutcome> {
  const policy = maintenancePolicy(core.settings);
  return runMaintenance(core, name, { policy, clock: core.clock, onProgress });
}
