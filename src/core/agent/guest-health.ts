import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { GuestAgentSession } from '../../plugin-api/index.js';
import { reasonOf } from '../error-reason.js';
import { withTimeout } from '../with-timeout.js';
import type { AttachedVm } from '../workspace/attached-vm.js';
import { loadManifest } from '../workspace/load-manifest.js';
import type { Workspace } from '../workspace/open-workspace.js';

export interface HealthCheck {
  reachable: boolean;
  roundTripMs?: number;
  reason?: string;
}

/**
 * One try at the guest agent: open the channel, connect, ping, close. The connection is not
 * kept between checks: a guest-agent channel serves one client at a time (QEMU's socket), and
 * `twinbox run` must find it free. The round trip is that of the ping alone, measured on the
 * monotonic clock: it is a measurement, not a timer.
 */
export async function checkGuestAgent(ws: Workspace, target: AttachedVm, timeoutMs: number): Promise<HealthCheck> {
  let session: GuestAgentSession | undefined;
  let channel: Duplex | undefined;
  try {
    const manifest = await loadManifest(ws.entry().storeDir, ws.name);
    const agent = await ws.core.plugins.guestAgent(manifest.guestAgent.plugin);
    channel = await withTimeout(target.hypervisor.openChannel(target.vm, manifest.guestAgent.channel), timeoutMs, 'the channel did not open');
    session = await agent.connect(channel, { timeoutMs });
    const started = performance.now();
    await session.ping({ timeoutMs });
    return { reachable: true, roundTripMs: Math.round((performance.now() - started) * 1000) / 1000 };
  } catch (error) {
    return { reachable: false, reason: reasonOf(error) };
  } finally {
    if (session) await session.close().catch(() => undefined);
    else channel?.destroy();
  }
}
