import type { GuestAgentSession } from '../../../plugin-api/index.js';
import type { GuestCustomizer } from './customizer-types.js';
import { linuxGuest } from './linux-guest.js';
import { windowsGuest } from './windows-guest.js';

/** The customizer for the guest's OS family, asked of its guest agent. */
export async function customizerFor(session: GuestAgentSession, timeoutMs: number): Promise<GuestCustomizer> {
  const os = await session.osInfo({ timeoutMs });
  return os.id === 'mswindows' ? windowsGuest : linuxGuest;
}
