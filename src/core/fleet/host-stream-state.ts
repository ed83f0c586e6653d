/**
 * One host of the dashboard's fleet as its stream tells it: the lines of
 * `twinbox status --json --watch` read into rows, and how the host answers (reachable,
 * round trip, its twinbox version, the last error with its fix). Pure: lines in, rows out,
 * so that the recorded output of a real stream can be replayed in tests.
 */
import type { WorkspaceStatus } from '../workspace/workspace-status.js';

export type HostPhase =
  /** Probing the host or waiting for the stream's first `synced` line. */
  | 'connecting'
  /** The stream is live: its rows are the host's workspaces now. */
  | 'live'
  /** The connection failed or dropped; it is tried again after `retryAt`. */
  | 'unreachable'
  /** The host answered but cannot be used: a changed host key, no twinbox, an old twinbox. */
  | 'refused';

export interface HostProblem {
  code: string;
  message: string;
  hint?: string;
}

export interface HostStreamState {
  name: string;
  address: string;
  phase: HostPhase;
  /** The host's workspaces by scope and name, as last told. */
  workspaces: ReadonlyMap<string, WorkspaceStatus>;
  /** Lines read since the stream (re)started, before `synced`: the host's first full list. */
  pending?: ReadonlyMap<string, WorkspaceStatus>;
  /** The round trip of an empty command over the host's shared SSH connection, in ms (last measured). */
  rttMs?: number;
  /** The host's twinbox, as its `--version` said. */
  version?: string;
  /** The last failure, kept while the host is live again until the next one. */
  error?: HostProblem;
  /** When the last failure happened (clock ms). */
  errorAt?: number;
  /** When the next attempt to connect starts (clock ms), while unreachable or refused. */
  retryAt?: number;
  /** Lines the stream sent that were not one of its JSON lines (counted, not shown). */
  badLines: number;
}

export function initialHostState(name: string, address: string): HostStreamState {
  return { name, address, phase: 'connecting', workspaces: new Map(), badLines: 0 };
}

const keyOf = (status: { scope: string; name: string }) => `${status.scope}:${status.name}`;

type WatchLine = { type: 'workspace'; workspace: WorkspaceStatus } | { type: 'removed'; name: string; scope: string } | { type: 'synced'; at: string };

function parseLine(line: string): WatchLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record.type === 'synced' && typeof record.at === 'string') return record as WatchLine;
  if (record.type === 'removed' && typeof record.name === 'string' && typeof record.scope === 'string') return record as WatchLine;
  const workspace = record.workspace as Record<string, unknown> | undefined;
  if (record.type === 'workspace' && typeof workspace === 'object' && workspace !== null && typeof workspace.name === 'string' && typeof workspace.state === 'string' && typeof workspace.scope === 'string') {
    return record as WatchLine;
  }
  return undefined;
}

/** The probe answered: the stream starts now, on a host of this version, this far away. */
export function hostProbed(state: HostStreamState, version: string, rttMs: number | undefined): HostStreamState {
  return { ...state, phase: state.phase === 'live' ? 'live' : 'connecting', version, rttMs: rttMs ?? state.rttMs, retryAt: undefined, pending: new Map() };
}

/**
 * One line of the stream. Before `synced` the lines are the host's whole list, collected apart
 * (a reconnect does not show half a list); after it, each line changes the rows at once.
 */
export function applyLine(state: HostStreamState, line: string): HostStreamState {
  if (line.trim() === '') return state;
  const parsed = parseLine(line);
  if (!parsed) return { ...state, badLines: state.badLines + 1 };
  if (state.pending) {
    const pending = new Map(state.pending);
    if (parsed.type === 'workspace') pending.set(keyOf(parsed.workspace), parsed.workspace);
    else if (parsed.type === 'removed') pending.delete(keyOf(parsed));
    else return { ...state, phase: 'live', workspaces: pending, pending: undefined };
    return { ...state, pending };
  }
  if (parsed.type === 'synced') return { ...state, phase: 'live' };
  const workspaces = new Map(state.workspaces);
  if (parsed.type === 'workspace') workspaces.set(keyOf(parsed.workspace), parsed.workspace);
  else workspaces.delete(keyOf(parsed));
  return { ...state, workspaces };
}

/** The errors that another attempt will not cure until someone acts on the host or here. */
const REFUSALS = new Set(['host-key-mismatch', 'host-auth-failed', 'host-no-twinbox', 'host-not-twinbox', 'host-version', 'bad-host-address']);

export function isRefusal(code: string): boolean {
  return REFUSALS.has(code);
}

/** The probe or the stream failed (or the stream ended): no rows from this host until it answers again. */
export function hostFailed(state: HostStreamState, problem: HostProblem, now: number, retryAt: number): HostStreamState {
  return {
    ...state,
    phase: REFUSALS.has(problem.code) ? 'refused' : 'unreachable',
    workspaces: new Map(),
    pending: undefined,
    error: problem,
    errorAt: now,
    retryAt,
  };
}

/**
 * Trying (again): what was known stays until the new list is in, and a host that failed keeps
 * its reason on screen while it is asked again (no flicker to "connecting" every retry).
 */
export function hostReconnecting(state: HostStreamState): HostStreamState {
  return { ...state, retryAt: undefined };
}

/** The host's workspaces in the order `twinbox status` lists them: by name, then scope. */
export function hostWorkspaces(state: HostStreamState): WorkspaceStatus[] {
  if (state.phase !== 'live') return [];
  return [...state.workspaces.values()].sort((a, b) => a.name.localeCompare(b.name) || a.scope.localeCompare(b.scope));
}

/** The wait before attempt `attempt` (1, 2…) to reconnect: 1 s doubling to 30 s, refusals 60 s. */
export function backoffMs(attempt: number, refused: boolean): number {
  if (refused) return 60_000;
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}
