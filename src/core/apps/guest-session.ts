import type { GuestAgentSession } from '../../plugin-api/index.js';
import type { WorkspaceManifest } from '../package/manifest-schema.js';
import { notAnswering, RUNNING_AGENT_TIMEOUT_MS } from '../workspace/agent-ready.js';
import { attachedVm, type AttachedVm } from '../workspace/attached-vm.js';
import { lockHolder } from '../workspace/lock.js';
import { waitForGuestAgent } from '../workspace/guest-agent-connection.js';
import { loadManifest } from '../workspace/load-manifest.js';
import type { Workspace } from '../workspace/open-workspace.js';

export const DEFAULT_AGENT_TIMEOUT_MS = 300_000;

export interface GuestConnection {
  manifest: WorkspaceManifest;
  target: AttachedVm;
  session: GuestAgentSession;
}

/**
 * A session with the guest agent of a running workspace (start it first). `wasRunning`: the VM
 * ran before this command, so an agent that does not answer within RUNNING_AGENT_TIMEOUT_MS has
 * stopped answering (exit 5), not booting.
 */
export async function connectGuest(ws: Workspace, agentTimeoutMs = DEFAULT_AGENT_TIMEOUT_MS, wasRunning = false): Promise<GuestConnection> {
  const manifest = await loadManifest(ws.entry().storeDir, ws.name);
  const target = await attachedVm(ws);
  const agent = await ws.core.plugins.guestAgent(manifest.guestAgent.plugin);
  const timeoutMs = wasRunning ? Math.min(agentTimeoutMs, RUNNING_AGENT_TIMEOUT_MS) : agentTimeoutMs;
  try {
    const session = await waitForGuestAgent(target.hypervisor, agent, target.vm, manifest.guestAgent.channel, { timeoutMs, clock: ws.clock });
    return { manifest, target, session };
  } catch (error) {
    throw wasRunning ? notAnswering(ws, timeoutMs, error) : error;
  }
}

/**
 * Whether the workspace is set up, held by no operation and its VM runs already: then an app
 * needs no start (no workspace lock, no readiness handshake of its own), and the app's own
 * session with the guest agent is the only one. One state read of the hypervisor.
 */
export async function runningAndFree(ws: Workspace): Promise<boolean> {
  const entry = ws.entry();
  if (entry.setup.state !== 'ready' || !entry.vm || !entry.hypervisor || lockHolder(ws.layout.lockFile)) return false;
  try {
    const target = await attachedVm(ws, entry);
    return (await target.hypervisor.state(target.vm)).state === 'running';
  } catch {
    return false;
  }
}
