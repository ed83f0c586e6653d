import { EventCodes } from '../events/codes.js';
import type { Core } from '../open-core.js';
import type { SetupOptions, SetupResult } from '../setup/setup-workspace.js';
import { mountWorkspaceShares, refuseMissingShares } from '../redirection/workspace-shares.js';
import { bootVm } from './boot-vm.js';
import { awaitGuestAgent, DEFAULT_AGENT_TIMEOUT_MS } from './agent-ready.js';
import { attachedVm, vmMissing } from './attached-vm.js';
import { withWorkspaceLock } from './workspace-lock.js';
import { openWorkspace, type Workspace } from './open-workspace.js';
import type { WorkspaceState } from './workspace-status.js';

export interface LifecycleOptions {
  onProgress?: (message: string) => void;
  /** How long to wait for the guest agent once the VM runs. */
  agentTimeoutMs?: number;
}

export interface StartOptions extends LifecycleOptions {
  /** Used when the workspace still has to be set up. */
  setup?: SetupOptions;
}

export interface StartResult {
  workspace: string;
  /** The state before: `running` means nothing was done. */
  was: WorkspaceState;
  /** First-time setup ran first (the workspace was not set up yet). */
  setup?: SetupResult;
}

/** Starts or resumes the VM from whatever state it is in and waits until its guest agent answers. */
export async function bringUp(ws: Workspace, options: LifecycleOptions): Promise<WorkspaceState> {
  const target = await attachedVm(ws);
  const before = await target.hypervisor.state(target.vm);
  if (before.state === 'not-created') {
    ws.events.event('error', EventCodes.vmMissing, `the VM is gone: ${before.reason}`);
    throw vmMissing(ws, before.reason);
  }
  if (before.state !== 'running') {
    // A shared folder missing on the host refuses the start before anything runs.
    await refuseMissingShares(ws, target.vm);
    options.onProgress?.(before.state === 'paused' || before.state === 'suspended' ? `resuming (was ${before.state})` : `starting (was ${before.state})`);
    ws.events.event('info', EventCodes.vmStarting, `starting the VM (was ${before.state}: ${before.reason})`);
    try {
      await bootVm(target.hypervisor, target.vm, { timeoutMs: options.agentTimeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS });
    } catch (error) {
      ws.events.event('error', EventCodes.vmStartFailed, `the VM did not start: ${(error as Error).message}`);
      throw error;
    }
    ws.events.event('info', before.state === 'paused' || before.state === 'suspended' ? EventCodes.vmResumed : EventCodes.vmRunning, 'the VM is running');
  }
  await awaitGuestAgent(ws, target, options.agentTimeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS, options.onProgress, before.state === 'running');
  // A running guest has mounted them when it was brought up.
  if (before.state !== 'running') await mountWorkspaceShares(ws, target.vm, options.agentTimeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS);
  return before.state;
}

/**
 * Starts a workspace on demand. One that was never set up is set up first, as MED-V did at
 * first use; one whose setup failed is refused with the way out (`twinbox reset`).
 */
export async function startWorkspace(core: Core, name: string, options: StartOptions = {}): Promise<StartResult> {
  const ws = openWorkspace(core, name);
  return withWorkspaceLock(ws, 'start', async () => {
    const { state } = ws.entry().setup;
    if (state !== 'ready') {
      if (state === 'pending') options.onProgress?.('the workspace is not set up yet: running first-time setup');
      if (state === 'running') options.onProgress?.('resuming the interrupted first-time setup');
      // Setup's modules (the manifest validator among them) load only when it has to run.
      const { setupLocked } = await import('../setup/setup-workspace.js');
      const setup = await setupLocked(ws, options.setup);
      // Setup leaves the VM running with its agent answering.
      return { workspace: name, was: 'not-created', setup };
    }
    return { workspace: name, was: await bringUp(ws, options) };
  });
}
