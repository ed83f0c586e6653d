import type { Clock } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import type { EventLog } from '../events/event-log.js';
import { reasonOf } from '../error-reason.js';
import { writeMetricsFile } from '../metrics/write-metrics.js';
import type { Core } from '../open-core.js';
import type { TwinboxPaths } from '../paths.js';
import { CoreTokens } from '../tokens.js';
import { HostAgent, type LogonStart, type WorkspaceRound } from './host-agent.js';
import { acquireAgentLock } from './instance-lock.js';

export interface AgentRunOptions {
  clock: Clock;
  /** One round, then exit (for scripts and tests). */
  once?: boolean;
  /** Ends the agent after the current round (SIGTERM, SIGINT). */
  signal?: AbortSignal;
  /** Written after every round, for node_exporter's textfile collector. */
  metricsFile?: string;
  /** Time between rounds. */
  roundMs?: number;
  log?: (line: string) => void;
  healthTimeoutMs?: number;
}

export interface AgentRunResult {
  rounds: number;
  logon: LogonStart[];
  /** What the last round did. */
  last: WorkspaceRound[];
}

/** How often the agent looks at each workspace: app exits, health, catalog refresh when due. */
export const DEFAULT_ROUND_MS = 5_000;

/**
 * Runs the host agent in the foreground until the signal aborts (or for one round with
 * `once`): one per user, refused with exit 75 while another runs. Leaves every workspace as it
 * is when it ends: the agent parks workspaces only through their close action.
 */
export async function runHostAgent(core: Core, options: AgentRunOptions): Promise<AgentRunResult> {
  const paths = core.container.resolve<TwinboxPaths>(CoreTokens.Paths);
  const events = core.container.resolve<EventLog>(CoreTokens.EventLog);
  const lock = acquireAgentLock(paths, () => options.clock.now());
  const agent = new HostAgent(core, { clock: options.clock, log: options.log, healthTimeoutMs: options.healthTimeoutMs });
  events.event('info', EventCodes.hostAgentStarted, `the host agent started (process ${process.pid})`, { once: options.once === true });
  options.log?.(`started (process ${process.pid})`);
  const result: AgentRunResult = { rounds: 0, logon: [], last: [] };
  try {
    result.logon = await agent.startAtLogon();
    for (;;) {
      if (options.signal?.aborted) break;
      result.last = await agent.round();
      result.rounds++;
      if (options.metricsFile) {
        await writeMetricsFile(core, options.metricsFile).catch((error: unknown) => options.log?.(`metrics not written: ${reasonOf(error)}`));
      }
      if (options.once) break;
      try {
        await options.clock.sleep(options.roundMs ?? DEFAULT_ROUND_MS, options.signal);
      } catch {
        break;
      }
    }
  } finally {
    lock.release();
    events.event('info', EventCodes.hostAgentStopped, `the host agent stopped after ${result.rounds} round(s)`);
    options.log?.(`stopped after ${result.rounds} round(s)`);
  }
  return result;
}
