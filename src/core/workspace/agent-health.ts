import { performance } from 'node:perf_hooks';
import type { GuestAgentSession } from '../../plugin-api/index.js';
import { reasonOf } from '../error-reason.js';
import { withTimeout } from '../with-timeout.js';
import type { Core } from '../open-core.js';
import { attachedVm } from './attached-vm.js';
import { loadManifest } from './load-manifest.js';
import { openWorkspace } from './open-workspace.js';

/** Whether a running workspace's guest agent answers now, and how fast. */
export type AgentHealth = { ok: true; rttMs: number } | { ok: false; reason: string };

async function openSession(core: Core, name: string, timeoutMs: number, signal: AbortSignal): Promise<GuestAgentSession> {
  const ws = openWorkspace(core, name);
  const entry = ws.entry();
  const target = await attachedVm(ws, entry);
  const manifest = await loadManifest(entry.storeDir, name);
  const agent = await core.plugins.guestAgent(manifest.guestAgent.plugin);
  const channel = await target.hypervisor.openChannel(target.vm, manifest.guestAgent.channel);
  try {
    return await agent.connect(channel, { timeoutMs, signal });
  } catch (error) {
    channel.destroy();
    throw error;
  }
}

/**
 * One ping through the workspace's own guest-agent channel, bounded by `timeoutMs` as a whole
 * (channel, handshake and ping), so a hung guest cannot hold up whoever asks. Reads only: takes
 * no lock. The round-trip time is the ping's alone, after the handshake.
 */
export async function agentHealth(core: Core, name: string, timeoutMs: number): Promise<AgentHealth> {
  const controller = new AbortController();
  const opening = openSession(core, name, timeoutMs, controller.signal);
  const probe = async (): Promise<AgentHealth> => {
    const session = await opening;
    const started = performance.now();
    await session.ping({ timeoutMs });
    return { ok: true, rttMs: Math.round((performance.now() - started) * 10) / 10 };
  };
  try {
    return await withTimeout(probe(), timeoutMs, `no answer within ${timeoutMs} ms`);
  } catch (error) {
    controller.abort();
    return { ok: false, reason: reasonOf(error) };
  } finally {
    // Also when the time ran out first: a session that opens late is closed, never leaked.
    opening.then((session) => session.close()).catch(() => undefined);
  }
}
