import { connectGuest } from '../apps/guest-session.js';
import { EventCodes } from '../events/codes.js';
import type { Core } from '../open-core.js';
import { powershellLiteral } from '../setup/guest/windows-guest.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { loggableUrl } from './open-target.js';
import { startWorkspace } from '../workspace/start-workspace.js';

export interface GuestOpenOptions {
  onProgress?: (message: string) => void;
  agentTimeoutMs?: number;
}

export interface GuestOpenResult {
  workspace: string;
  /** The guest program that was handed the address. */
  opener: string[];
  pid: number;
}

/**
 * The guest's own way to open a web address. Linux: xdg-open (the desktop's default
 * browser). Windows: Start-Process, the address passed as a PowerShell literal — never through
 * `cmd /c start`, where an `&` in the address would start a second command.
 */
export function defaultOpener(osId: string, url: string): string[] {
  if (osId === 'mswindows') return ['powershell.exe', '-NoProfile', '-NonInteractive', '-Command', `Start-Process -FilePath ${powershellLiteral(url)}`];
  return ['xdg-open', url];
}

/**
 * Opens a web address in a workspace's guest browser, starting (or first setting up) the
 * workspace when needed. The browser is started and left running: its window is on the
 * guest's display.
 */
export async function openUrlInGuest(core: Core, name: string, url: string, options: GuestOpenOptions = {}): Promise<GuestOpenResult> {
  await startWorkspace(core, name, { onProgress: options.onProgress, agentTimeoutMs: options.agentTimeoutMs });
  const ws = openWorkspace(core, name);
  const { manifest, session } = await connectGuest(ws, options.agentTimeoutMs);
  try {
    const declared = manifest.redirection.browser;
    const opener = declared ? [...declared, url] : defaultOpener((await session.osInfo()).id, url);
    try {
      const { pid } = await session.launch({ id: 'twinbox-browser', name: 'browser', kind: 'gui', command: opener, source: 'redirection' });
      ws.events.event('info', EventCodes.urlRedirected, `opened ${loggableUrl(url)} in the guest's browser`, { url: loggableUrl(url), opener: opener[0], pid });
      return { workspace: name, opener, pid };
    } catch (error) {
      ws.events.event('error', EventCodes.redirectionFailed, `the guest could not open ${loggableUrl(url)}: ${(error as Error).message}`, { url: loggableUrl(url), opener: opener[0] });
      throw error;
    }
  } finally {
    await session.close().catch(() => undefined);
  }
}
