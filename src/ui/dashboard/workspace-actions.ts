import { uninstallWorkspace } from '../../core/package/uninstall.js';
import type { SetupProgressEvent } from '../../core/setup/progress-events.js';
import type { PromptAnswerer } from '../../core/setup/prompts.js';
import { runSetup } from '../../core/setup/setup-workspace.js';
import { resetWorkspace } from '../../core/workspace/reset-workspace.js';
import { restartWorkspace } from '../../core/workspace/restart-workspace.js';
import { resumeWorkspace } from '../../core/workspace/resume-workspace.js';
import { snapshotWorkspace } from '../../core/workspace/snapshot-workspace.js';
import { startWorkspace } from '../../core/workspace/start-workspace.js';
import { stopWorkspace } from '../../core/workspace/stop-workspace.js';
import { suspendWorkspace } from '../../core/workspace/suspend-workspace.js';
import type { WorkspaceStatus } from '../../core/workspace/workspace-status.js';
import type { WorkspaceActionId } from './workspace-row.js';
import type { Core } from '../../core/open-core.js';
import { suspendOrResume } from './workspace-row.js';


export interface ActionCallbacks {
  /** One-line progress ("waiting for the guest agent"). */
  onProgress(message: string): void;
  /** First-time setup's events, when the action runs setup (setup, reset, start of a new workspace). */
  onSetup(event: SetupProgressEvent): void;
  /** Answers attended setup's questions on the dashboard. */
  answer: PromptAnswerer;
}

/** What a finished action says on the message line. */
export type ActionOutcome = string;

/**
 * Runs one of the dashboard's changes to a workspace, each the CLI command's own core call
 * under the workspace's lock. Loaded once the list is on screen (use-workspace-actions.ts):
 * setup, install and uninstall code stays out of the dashboard's first frame.
 */
export async function runWorkspaceAction(core: Core, action: WorkspaceActionId, status: WorkspaceStatus, callbacks: ActionCallbacks): Promise<ActionOutcome> {
  const { name } = status;
  const setup = { onProgress: callbacks.onSetup, answer: callbacks.answer };
  switch (action) {
    case 'start': {
      const result = await startWorkspace(core, name, { onProgress: callbacks.onProgress, setup });
      if (result.setup) return `${name} is set up and running: ${result.setup.apps} app(s) published`;
      return result.was === 'running' ? `${name} was already running` : `${name} is running (was ${result.was})`;
    }
    case 'stop':
    case 'force-stop': {
      const result = await stopWorkspace(core, name, { force: action === 'force-stop', onProgress: callbacks.onProgress });
      return result.how === 'already-stopped' ? `${name} was already stopped` : `${name} stopped (${result.how})`;
    }
    case 'suspend-resume': {
      if (suspendOrResume(status.state) === 'resume') {
        const result = await resumeWorkspace(core, name, { onProgress: callbacks.onProgress });
        return `${name} is running (was ${result.was})`;
      }
      const result = await suspendWorkspace(core, name);
      return result.was === 'suspended' ? `${name} was already suspended` : `${name} is suspended: its memory is saved to disk`;
    }
    case 'restart': {
      const result = await restartWorkspace(core, name, { onProgress: callbacks.onProgress });
      return `${name} restarted (shutdown: ${result.stopped})`;
    }
    case 'reset': {
      const result = await resetWorkspace(core, name, setup);
      return `${name} was reset and set up again: ${result.apps} app(s) published`;
    }
    case 'snapshot': {
      const result = await snapshotWorkspace(core, name);
      return `took snapshot "${result.snapshot}" of ${name}`;
    }
    case 'setup': {
      const result = await runSetup(core, name, setup);
      return result.alreadyReady ? `${name} is already set up; reset (R) sets it up again` : `${name} is set up: ${result.apps} app(s) published`;
    }
    case 'uninstall': {
      const result = await uninstallWorkspace(core, name);
      return `uninstalled ${result.name} ${result.version}`;
    }
  }
}
