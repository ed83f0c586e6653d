import { isTwinboxError, type Clock } from '../../plugin-api/index.js';
import { forgetEnded, readSessions } from '../apps/app-sessions.js';
import { connectGuest, type GuestConnection } from '../apps/guest-session.js';
import { oneTimePassword } from '../apps/one-time-password.js';
import { refreshCatalog } from '../apps/refresh-catalog.js';
import { EventCodes } from '../events/codes.js';
import { reasonOf } from '../error-reason.js';
import type { Core } from '../open-core.js';
import { readPackageLayer } from '../settings/read-package-layer.js';
import type { Settings } from '../settings/settings.js';
import { reloadPolicyIfChanged } from '../settings/open-settings.js';
import type { EventLog } from '../events/event-log.js';
import type { TwinboxPaths } from '../paths.js';
import { CoreTokens } from '../tokens.js';
import { attachedVm, type AttachedVm } from '../workspace/attached-vm.js';
import { lockHolder } from '../workspace/lock.js';
import { openRegistry, openWorkspace, type Workspace } from '../workspace/open-workspace.js';
import { startWorkspace } from '../workspace/start-workspace.js';
import { applyCloseAction, type CloseOutcome } from './close-action.js';
import { checkGuestAgent, type HealthCheck } from './guest-health.js';
import { writeHealthRecord } from './health-record.js';

/** What the agent did with one workspace in one round. */
export interface WorkspaceRound {
  workspace: string;
  outcome: 'not-set-up' | 'busy' | 'not-running' | 'watched' | 'closed' | 'failed';
  /** Live app sessions. */
  sessions?: number;
  /** How long the workspace has had no app since the last one exited. */
  idleMs?: number;
  health?: HealthCheck;
  /** The catalog was refreshed this round (and whether it changed). */
  refreshed?: { changed: boolean };
  closed?: CloseOutcome;
  /** Guest accounts whose one-time RDP password was retired this round. */
  rdpPasswordsRetired?: string[];
  error?: string;
}

export interface LogonStart {
  workspace: string;
  outcome: 'started' | 'already-running' | 'busy' | 'failed';
  error?: string;
}

export interface HostAgentOptions {
  /** Schedules rounds and measures idle time; tests pass a manual one. */
  clock: Clock;
  /** Human-readable lines of what the agent does (the systemd journal keeps them). */
  log?: (line: string) => void;
  /** How long one guest-agent health check may take. */
  healthTimeoutMs?: number;
}

/** What the agent remembers about a workspace between rounds (nothing of it needs to survive a restart). */
interface Watch {
  /** When the last app was seen to have exited; cleared while apps run and once the close action is done. */
  idleSince?: number;
  /** The last health check's verdict. */
  reachable?: boolean;
  lastRefresh?: number;
  /** The last failure logged, so one that repeats every round is logged once. */
  lastError?: string;
  /** Guest accounts whose RemoteApp windows closed: their one-time password is retired when no app runs. */
  rdpToRetire?: Set<string>;
}

const DEFAULT_HEALTH_TIMEOUT_MS = 10_000;

function isBusy(error: unknown): boolean {
  return isTwinboxError(error) && error.code === 'busy';
}

/**
 * The host agent's work, one round at a time: for each set-up workspace it notices app sessions
 * starting and ending, applies the close action once the last app has exited and the idle time
 * has passed, checks the guest agent's health (events when it stops and starts answering
 * again), and refreshes the app catalog on (re)connection and every publishing.refreshSeconds.
 * Workspaces another process is changing are left alone for the round. Locks are taken only by
 * the actions themselves, for their duration.
 */
export class HostAgent {
  private readonly watches = new Map<string, Watch>();
  private readonly settings: Settings;
  private pendingLogonStarts: string[] | undefined;

  constructor(
    private readonly core: Core,
    private readonly options: HostAgentOptions,
  ) {
    this.settings = core.container.resolve<Settings>(CoreTokens.Settings);
  }

  /** The policy files as last read: configuration management may drop new ones while the agent runs. */
  private policySeen: string | undefined;

  /** Reads the machine policy again when its files changed; the round then acts on the new one. */
  private followPolicy(): void {
    const { container } = this.core;
    const { fingerprint, reloaded } = reloadPolicyIfChanged(
      container.resolve<TwinboxPaths>(CoreTokens.Paths),
      container.resolve<NodeJS.ProcessEnv>(CoreTokens.Environment),
      this.settings,
      container.resolve<EventLog>(CoreTokens.EventLog),
      this.policySeen,
    );
    this.policySeen = fingerprint;
    if (reloaded) this.log('machine policy changed: read again');
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /** A workspace's settings with its package's defaults joined in. */
  private async workspaceSettings(ws: Workspace): Promise<Settings> {
    return this.settings.forPackage(await readPackageLayer(ws.name, ws.entry().storeDir));
  }

  /**
   * Starts the workspaces whose effective workspace.startup is at-logon (setting up one that
   * never was). One that is busy is tried again on the next call; the others are done with.
   */
  async startAtLogon(): Promise<LogonStart[]> {
    const registry = openRegistry(this.core);
    if (!this.pendingLogonStarts) {
      const wanted: string[] = [];
      for (const entry of registry.list()) {
        if (entry.setup.state === 'failed') continue;
        const ws = openWorkspace(this.core, entry.name, registry);
        try {
          if ((await this.workspaceSettings(ws)).get('workspace.startup') === 'at-logon') wanted.push(entry.name);
        } catch (error) {
          ws.events.event('error', EventCodes.logonStartFailed, `cannot tell whether to start at logon: ${reasonOf(error)}`);
        }
      }
      this.pendingLogonStarts = wanted;
    }
    const results: LogonStart[] = [];
    const stillPending: string[] = [];
    for (const name of this.pendingLogonStarts) {
      if (!registry.find(name)) continue;
      const ws = openWorkspace(this.core, name, registry);
      try {
        const started = await startWorkspace(this.core, name);
        const outcome = started.was === 'running' ? 'already-running' : 'started';
        if (outcome === 'started') ws.events.event('info', EventCodes.logonStart, `started at logon (workspace.startup is at-logon; it was ${started.was})`);
        this.log(`${name}: ${outcome === 'started' ? 'started at logon' : 'already running at logon'}`);
        results.push({ workspace: name, outcome });
      } catch (error) {
        if (isBusy(error)) {
          stillPending.push(name);
          results.push({ workspace: name, outcome: 'busy' });
          this.log(`${name}: busy, start at logon tried again next round`);
          continue;
        }
        ws.events.event('error', EventCodes.logonStartFailed, `could not start at logon: ${reasonOf(error)}`);
        this.log(`${name}: could not start at logon: ${reasonOf(error)}`);
        results.push({ workspace: name, outcome: 'failed', error: reasonOf(error) });
      }
    }
    this.pendingLogonStarts = stillPending;
    return results;
  }

  /** One round over every installed workspace; a failure with one never stops the others. */
  async round(): Promise<WorkspaceRound[]> {
    this.followPolicy();
    if (this.pendingLogonStarts?.length) await this.startAtLogon();
    const registry = openRegistry(this.core);
    const entries = registry.list();
    for (const name of this.watches.keys()) if (!entries.some((entry) => entry.name === name)) this.watches.delete(name);
    const rounds: WorkspaceRound[] = [];
    for (const entry of entries) {
      const ws = openWorkspace(this.core, entry.name, registry);
      try {
        const round = await this.watch(ws);
        this.watches.get(ws.name)!.lastError = undefined;
        rounds.push(round);
      } catch (error) {
        if (isBusy(error)) {
          rounds.push({ workspace: ws.name, outcome: 'busy' });
          continue;
        }
        const reason = reasonOf(error);
        const watch = this.watches.get(ws.name);
        if (watch?.lastError !== reason) this.log(`${ws.name}: ${reason}`);
        if (watch) watch.lastError = reason;
        rounds.push({ workspace: ws.name, outcome: 'failed', error: reason });
      }
    }
    return rounds;
  }

  private async watch(ws: Workspace): Promise<WorkspaceRound> {
    const name = ws.name;
    const watch = this.watches.get(name) ?? {};
    this.watches.set(name, watch);
    const entry = ws.entry();
    if (entry.setup.state !== 'ready' || !entry.vm) return { workspace: name, outcome: 'not-set-up' };
    if (lockHolder(ws.layout.lockFile)) return { workspace: name, outcome: 'busy' };
    const target = await attachedVm(ws, entry);
    const state = await target.hypervisor.state(target.vm);
    const sessions = readSessions(ws.layout);
    for (const user of sessions.endedRdpUsers) (watch.rdpToRetire ??= new Set()).add(user);
    if (state.state !== 'running') {
      // Apps of a VM that is not running have nothing left to close.
      forgetEnded(ws.layout, sessions.ended);
      watch.idleSince = undefined;
      watch.reachable = undefined;
      // Coming up again is a new connection: the catalog is refreshed then.
      watch.lastRefresh = undefined;
      return { workspace: name, outcome: 'not-running' };
    }
    const now = this.options.clock.now();
    if (sessions.live.length > 0) watch.idleSince = undefined;
    else if (sessions.ended.length > 0) watch.idleSince = now;
    forgetEnded(ws.layout, sessions.ended);

    const settings = await this.workspaceSettings(ws);
    if (watch.idleSince !== undefined) {
      const idleMs = now - watch.idleSince;
      if (idleMs >= settings.get('workspace.idleMinutes') * 60_000) {
        // Before the VM is parked, so a resumed one does not come back with the password valid.
        const retired = watch.rdpToRetire?.size ? await this.retireRdpPasswords(ws, watch.rdpToRetire) : [];
        const closed = await this.close(ws, watch, settings, idleMs);
        return retired.length > 0 ? { ...closed, rdpPasswordsRetired: retired } : closed;
      }
    }

    const result: WorkspaceRound = { workspace: name, outcome: 'watched', sessions: sessions.live.length };
    if (watch.idleSince !== undefined) result.idleMs = now - watch.idleSince;
    // While an app runs it holds the guest-agent channel (one client at a time on QEMU): a
    // check would only find it taken.
    if (sessions.live.length > 0) return result;
    const { check, recovered } = await this.checkHealth(ws, watch, target);
    result.health = check;
    if (!check.reachable) return result;
    if (watch.rdpToRetire?.size) result.rdpPasswordsRetired = await this.retireRdpPasswords(ws, watch.rdpToRetire);
    const connected = watch.lastRefresh === undefined || recovered;
    const due = watch.lastRefresh !== undefined && now - watch.lastRefresh >= this.settings.get('publishing.refreshSeconds') * 1000;
    if (connected || due) {
      try {
        const refreshed = await refreshCatalog(this.core, name, { agentTimeoutMs: this.options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS });
        watch.lastRefresh = now;
        result.refreshed = { changed: refreshed.changed };
        if (refreshed.changed) this.log(`${name}: app catalog refreshed (${refreshed.apps.length} app(s))`);
      } catch (error) {
        // Busy: next round. Anything else is in the workspace's event log (3201); try again when due.
        if (!isBusy(error)) watch.lastRefresh = now;
        this.log(`${name}: app catalog not refreshed: ${reasonOf(error)}`);
      }
    }
    return result;
  }

  /**
   * A RemoteApp launch leaves its one-time password valid in the guest. Once its windows have
   * closed, and only while no app of the workspace runs (a launch in progress has just set a
   * password of its own and is signing in with it), the password is replaced by a random one
   * that is never kept anywhere: what FreeRDP was given opens nothing any more.
   */
  private async retireRdpPasswords(ws: Workspace, users: Set<string>): Promise<string[]> {
    const retired: string[] = [];
    let connection: GuestConnection | undefined;
    try {
      connection = await connectGuest(ws, this.options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS);
      const { session } = connection;
      // An agent that cannot set passwords now could not have set the one-time one either.
      if (!session.setUserPassword) users.clear();
      for (const user of [...users]) {
        await session.setUserPassword!(user, oneTimePassword());
        users.delete(user);
        retired.push(user);
        ws.events.event('info', EventCodes.remoteAppPasswordRetired, `the one-time RDP password of guest account "${user}" was retired: its RemoteApp windows have closed`, { user });
      }
    } catch (error) {
      // An agent that refuses the call (blocked, too old) will refuse it every round: said once.
      const never = isTwinboxError(error) && error.code === 'guest-agent-unsupported';
      ws.events.event('warn', EventCodes.remoteAppPasswordRetireFailed, `the one-time RDP password of ${[...users].map((user) => `"${user}"`).join(', ')} could not be retired${never ? '' : ' yet'}: ${reasonOf(error)}`, { users: [...users] });
      if (never) users.clear();
    } finally {
      await connection?.session.close().catch(() => undefined);
    }
    return retired;
  }

  private async close(ws: Workspace, watch: Watch, settings: Settings, idleMs: number): Promise<WorkspaceRound> {
    const action = settings.get('workspace.closeAction');
    try {
      const closed = await applyCloseAction(this.core, ws.name, action);
      watch.idleSince = undefined;
      watch.reachable = undefined;
      ws.events.event('info', EventCodes.closeActionApplied, `the last app exited ${Math.round(idleMs / 1000)} s ago: the workspace was ${closed.done} (workspace.closeAction ${action})`, { action, done: closed.done });
      this.log(`${ws.name}: ${closed.done} after its last app exited`);
      return { workspace: ws.name, outcome: 'closed', closed, idleMs };
    } catch (error) {
      if (isBusy(error)) return { workspace: ws.name, outcome: 'busy', idleMs };
      // Not tried again until another app has run and exited: a failing action must not repeat every round.
      watch.idleSince = undefined;
      ws.events.event('error', EventCodes.closeActionFailed, `the close action (${action}) failed: ${reasonOf(error)}`, { action });
      return { workspace: ws.name, outcome: 'failed', error: reasonOf(error), idleMs };
    }
  }

  /** Checks the guest agent and logs when it stops answering or answers again (`recovered`). */
  private async checkHealth(ws: Workspace, watch: Watch, target: AttachedVm): Promise<{ check: HealthCheck; recovered: boolean }> {
    const check = await checkGuestAgent(ws, target, this.options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS);
    const checkedAt = new Date(this.options.clock.now()).toISOString();
    await writeHealthRecord(ws.layout, { checkedAt, ...check });
    const before = watch.reachable;
    watch.reachable = check.reachable;
    if (!check.reachable && before !== false) {
      ws.events.event('warn', EventCodes.agentHealthLost, `the guest agent does not answer: ${check.reason ?? 'no answer'}`);
      this.log(`${ws.name}: the guest agent does not answer (${check.reason ?? 'no answer'})`);
    }
    if (check.reachable && before === false) {
      ws.events.event('info', EventCodes.agentHealthRecovered, `the guest agent answers again (round trip ${check.roundTripMs} ms)`, { roundTripMs: check.roundTripMs });
      this.log(`${ws.name}: the guest agent answers again`);
      return { check, recovered: true };
    }
    return { check, recovered: false };
  }
}
