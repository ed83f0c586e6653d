import type { CallOptions, GuestApp, GuestAgentSession } from 'twinbox/plugin-api';
import { listLinuxApps } from './linux.js';
import { listWindowsApps } from './windows.js';

/** Discovery has to list and read many files; the default per-call timeout is too tight for it. */
const DISCOVERY_TIMEOUT_MS = 60_000;

export async function listApps(session: Pick<GuestAgentSession, 'exec' | 'osInfo'>, options: CallOptions = {}): Promise<GuestApp[]> {
  const os = await session.osInfo(options);
  const exec = session.exec.bind(session);
  const discovery = { timeoutMs: options.timeoutMs ?? DISCOVERY_TIMEOUT_MS };
  return os.id === 'mswindows' ? listWindowsApps(exec, discovery) : listLinuxApps(exec, discovery);
}
