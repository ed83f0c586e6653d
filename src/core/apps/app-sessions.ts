import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../../plugin-api/index.js';
import type { WorkspaceLayout } from '../workspace/layout.js';

/**
 * App sessions of a workspace, as `twinbox run` leaves them for the host agent: a small file
 * per running app (`<workspace>/sessions/live-*.json`), renamed over one `ended` marker when
 * the app exits (so the folder never grows with the number of runs). The agent learns from
 * them that apps are running, and that the last one has exited even when it ran only between
 * two of its rounds. Each launch also appends a line to
 * `launches.jsonl`, the app-launch counter metrics read (appends of one short line are atomic,
 * so concurrent launches never lose a count).
 */
export interface SessionRecord {
  pid: number;
  app: string;
  kind: string;
  since: string;
  /** A RemoteApp window: the guest account FreeRDP signed in as with a one-time password. */
  rdpUser?: string;
}

export interface AppSessions {
  live: SessionRecord[];
  /** Files telling of sessions that have ended, or whose process died without saying so. */
  ended: string[];
  /** The guest accounts of RemoteApp windows among the ended sessions: their one-time password is to be retired. */
  endedRdpUsers: string[];
}

export interface HeldSession {
  end(): void;
}

const LIVE = 'live-';
const ENDED = 'ended';

function sessionsDir(layout: WorkspaceLayout): string {
  return join(layout.workspaceDir, 'sessions');
}

export function launchesFile(layout: WorkspaceLayout): string {
  return join(layout.workspaceDir, 'launches.jsonl');
}

/** Writes a live session record for the app running in process `pid`; returns its file. */
function writeLive(layout: WorkspaceLayout, app: { id: string; kind: string }, pid: number, now: number, rdpUser?: string): { dir: string; live: string; record: SessionRecord } {
  const dir = sessionsDir(layout);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const record: SessionRecord = { pid, app: app.id, kind: app.kind, since: new Date(now).toISOString(), ...(rdpUser ? { rdpUser } : {}) };
  const live = join(dir, `${LIVE}${pid}-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(live, JSON.stringify(record), { mode: 0o600 });
  return { dir, live, record };
}

/** Records that an app of the workspace runs in this process until `end()`. */
export function beginSession(layout: WorkspaceLayout, app: { id: string; kind: string }, now: number): HeldSession {
  const { dir, live, record } = writeLive(layout, app, process.pid, now);
  appendFileSync(launchesFile(layout), `${JSON.stringify({ time: record.since, app: app.id })}\n`, { mode: 0o600 });
  let ended = false;
  return {
    end() {
      if (ended) return;
      ended = true;
      try {
        renameSync(live, join(dir, ENDED));
      } catch {
        // The folder went with the workspace (uninstall, reset): nothing is left to tell.
      }
    },
  };
}

/**
 * Records that an app's window is open in another host process that outlives twinbox (FreeRDP
 * showing a RemoteApp window): the app counts as running while that process lives, so the
 * close action never suspends the workspace under an open window. Its launch was counted by
 * the session it was launched in. `rdpUser` names the guest account it signed in as: once the
 * window has closed, the host agent retires the one-time password it was given.
 */
export function recordWindowSession(layout: WorkspaceLayout, app: { id: string; kind: string }, pid: number, now: number, rdpUser?: string): void {
  writeLive(layout, app, pid, now, rdpUser);
}

function readRecord(file: string): SessionRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<SessionRecord>;
    return typeof record.pid === 'number' && typeof record.app === 'string' ? (record as SessionRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** A read: the live sessions, and the ended ones (a record of a dead process counts as ended). */
export function readSessions(layout: WorkspaceLayout): AppSessions {
  const dir = sessionsDir(layout);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { live: [], ended: [], endedRdpUsers: [] };
  }
  const sessions: AppSessions = { live: [], ended: [], endedRdpUsers: [] };
  for (const name of names) {
    if (name === ENDED) sessions.ended.push(name);
    if (!name.startsWith(LIVE)) continue;
    const record = readRecord(join(dir, name));
    if (record && processAlive(record.pid)) sessions.live.push(record);
    else {
      sessions.ended.push(name);
      if (typeof record?.rdpUser === 'string' && !sessions.endedRdpUsers.includes(record.rdpUser)) sessions.endedRdpUsers.push(record.rdpUser);
    }
  }
  return sessions;
}

/** Forgets ended sessions once their end has been acted on. */
export function forgetEnded(layout: WorkspaceLayout, names: readonly string[]): void {
  for (const name of names) rmSync(join(sessionsDir(layout), name), { force: true });
}

/** App launches per app id, counted from `launches.jsonl`. */
export function launchCounts(layout: WorkspaceLayout): Map<string, number> {
  const counts = new Map<string, number>();
  let text: string;
  try {
    text = readFileSync(launchesFile(layout), 'utf8');
  } catch {
    return counts;
  }
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const { app } = JSON.parse(line) as { app?: unknown };
      if (typeof app === 'string') counts.set(app, (counts.get(app) ?? 0) + 1);
    } catch {
      // a line cut by a crash mid-write
    }
  }
  return counts;
}
