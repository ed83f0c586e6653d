import type { GuestAgentSession } from '../../plugin-api/index.js';
import type { WorkspaceManifest } from '../package/manifest-schema.js';
import { attachedVm, type AttachedVm } from '../workspace/attached-vm.js';
import { waitForGuestAgent } from '../workspace/guest-agent-connection.js';
import { loadManifest } from '../workspace/load-manifest.js';
import type { Workspace } from '../workspace/open-workspace.js';

export const DEFAULT_AGENT_TIMEOUT_MS = 300_000;

export interface GuestConnection {
  manifest: WorkspaceManifest;
  target: AttachedVm;
  session: GuestAgentSession;
}

/** A session with the guest agent of a running workspace (start it first). */
export async function connectGuest(ws: Workspace, agentTimeoutMs = DEFAULT_AGENT_TIMEOUT_MS): Promise<GuestConnection> {
  const manifest = await loadManifest(ws.entry().storeDir, ws.name);
  const target = await attachedVm(ws);
  const agent = await ws.core.plugins.guestAgent(manifest.guestAgent.plugin);
  const session = await waitForGuestAgent(target.hypervisor, agent, target.vm, manifest.guestAgent.channel, { timeoutMs: agentTimeoutMs, clock: ws.clock });
  return { manifest, target, session };
}
