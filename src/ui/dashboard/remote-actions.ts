import type { Fleet } from '../../core/fleet/fleet.js';
import { TwinboxError } from '../../plugin-api/index.js';
import type { ActionOutcome } from './workspace-actions.js';
import { suspendOrResume, type WorkspaceActionId, type WorkspaceRow } from './workspace-row.js';

/**
 * The twinbox command line an action of the dashboard's keys is on a fleet host: the CLI's own
 * commands, `--json` for their answer, `--yes` where the dashboard has asked already.
 */
export function remoteActionArgs(action: WorkspaceActionId, row: WorkspaceRow): string[] {
  const { name } = row.status;
  switch (action) {
    case 'start':
      return ['start', name, '--json'];
    case 'stop':
      return ['stop', name, '--json'];
    case 'force-stop':
      return ['stop', name, '--force', '--json'];
    case 'suspend-resume':
      return [suspendOrResume(row.status.state), name, '--json'];
    case 'restart':
      return ['restart', name, '--json'];
    case 'reset':
      return ['reset', name, '--yes', '--json'];
    case 'snapshot':
      return ['snapshot', 'take', name, '--json'];
    case 'setup':
      return ['setup', name, '--json'];
    case 'uninstall':
      return ['uninstall', name, '--json'];
  }
}

const DONE: Record<WorkspaceActionId, string> = {
  start: 'is running',
  stop: 'stopped',
  'force-stop': 'stopped (forced)',
  'suspend-resume': '',
  restart: 'restarted',
  reset: 'was reset and set up again',
  snapshot: 'has a new snapshot',
  setup: 'is set up',
  uninstall: 'was uninstalled',
};

/** Runs the action on the row's host through the remote runner; its JSON error, if any, is this one's. */
export async function runRemoteAction(fleet: Fleet, action: WorkspaceActionId, row: WorkspaceRow): Promise<ActionOutcome> {
  const host = row.host!;
  const { name } = row.status;
  const result = await fleet.run(host, remoteActionArgs(action, row));
  if (result.exitCode !== 0) {
    let failure: { code?: string; message?: string; hint?: string } | undefined;
    try {
      failure = (JSON.parse(result.stdout) as { error?: typeof failure }).error;
    } catch {
      failure = undefined;
    }
    const said = failure?.message ?? (result.stderr.trim().split('\n').at(-1) || `exit ${result.exitCode}`);
    throw new TwinboxError(failure?.code ?? 'host-action-failed', `${host}: ${said}`, { hint: failure?.hint ?? `run it there to see more: twinbox --host ${fleet.hosts.find((h) => h.name === host)?.address ?? host} ${remoteActionArgs(action, row).filter((arg) => arg !== '--json').join(' ')}` });
  }
  const verb = action === 'suspend-resume' ? (suspendOrResume(row.status.state) === 'resume' ? 'is running' : 'is suspended') : DONE[action];
  return `${host}/${name} ${verb}`;
}
