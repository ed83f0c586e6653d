import { TwinboxError, type Clock, type GuestExecRequest, type GuestExecResult } from 'twinbox/plugin-api';
import { agentProtocolError } from '../protocol/errors.js';
import { booleanField, numberField, stringField, type JsonObject } from '../protocol/json.js';
import type { QgaCaller } from '../protocol/transport.js';
import { expectObject } from './system.js';

/** Without a limit a hung guest program would keep a caller polling forever. */
export const DEFAULT_EXEC_TIMEOUT_MS = 5 * 60_000;
const FIRST_POLL_DELAY_MS = 10;
const MAX_POLL_DELAY_MS = 250;

export interface ExecContext {
  caller: QgaCaller;
  clock: Clock;
  /** Upper bound for each single protocol call. */
  callTimeoutMs: number;
}

function decode(base64: string | undefined): Uint8Array {
  // A copy, so the result does not pin Buffer's shared pool.
  return base64 === undefined ? new Uint8Array(0) : new Uint8Array(Buffer.from(base64, 'base64'));
}

function execArguments(request: GuestExecRequest, capture: boolean): JsonObject {
  const args: JsonObject = { path: request.path, arg: [...(request.args ?? [])] };
  if (request.env !== undefined) args.env = [...request.env];
  if (request.input !== undefined) args['input-data'] = Buffer.from(request.input).toString('base64');
  if (capture) args['capture-output'] = true;
  return args;
}

async function startProcess(caller: QgaCaller, request: GuestExecRequest, capture: boolean, timeoutMs: number): Promise<number> {
  const reply = expectObject('guest-exec', await caller.call('guest-exec', execArguments(request, capture), { timeoutMs }));
  const pid = numberField(reply, 'pid');
  if (pid === undefined) throw agentProtocolError('guest-exec', 'reply has no pid');
  return pid;
}

/** Starts a program without capturing its output; the agent forgets it once it ends. */
export function launchProcess(context: ExecContext, request: GuestExecRequest): Promise<number> {
  return startProcess(context.caller, request, false, Math.min(context.callTimeoutMs, request.timeoutMs ?? Infinity));
}

/** Runs a program to completion: `guest-exec`, then `guest-exec-status` until it has exited. */
export async function execCapture(context: ExecContext, request: GuestExecRequest): Promise<GuestExecResult> {
  const { caller, clock } = context;
  const timeoutMs = request.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const deadline = clock.now() + timeoutMs;
  const callTimeout = (): number => Math.max(1, Math.min(context.callTimeoutMs, deadline - clock.now()));

  const pid = await startProcess(caller, request, true, callTimeout());
  let pollDelay = FIRST_POLL_DELAY_MS;
  for (;;) {
    const status = expectObject('guest-exec-status', await caller.call('guest-exec-status', { pid }, { timeoutMs: callTimeout() }));
    if (booleanField(status, 'exited') === true) return toResult(status);
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw new TwinboxError('guest-agent-timeout', `${request.path} did not finish within ${timeoutMs} ms`, {
        exit: 'timeout',
        hint: 'the program keeps running in the guest; give it a longer timeout',
        details: { path: request.path, pid, timeoutMs },
      });
    }
    await clock.sleep(Math.min(pollDelay, remaining));
    pollDelay = Math.min(pollDelay * 2, MAX_POLL_DELAY_MS);
  }
}

function toResult(status: JsonObject): GuestExecResult {
  const result: GuestExecResult = {
    exitCode: numberField(status, 'exitcode') ?? null,
    stdout: decode(stringField(status, 'out-data')),
    stderr: decode(stringField(status, 'err-data')),
  };
  const signal = numberField(status, 'signal');
  if (signal !== undefined) result.signal = signal;
  if (booleanField(status, 'out-truncated') === true) result.stdoutTruncated = true;
  if (booleanField(status, 'err-truncated') === true) result.stderrTruncated = true;
  return result;
}
