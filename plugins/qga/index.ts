import { Tokens, type Clock, type GuestAgentPlugin, type PluginContainer, type PluginLogger } from 'twinbox/plugin-api';
import { QgaGuestAgentPlugin } from './plugin.js';

export { QgaGuestAgentPlugin, DEFAULT_CONNECT_TIMEOUT_MS, type QgaPluginOptions } from './plugin.js';
export { QgaSession, type QgaSessionOptions } from './session.js';
export { QgaTransport, DEFAULT_CALL_TIMEOUT_MS, type QgaCaller, type RequestOptions, type TransportOptions } from './protocol/transport.js';
export { ReplyDecoder, DELIMITER } from './protocol/reply-decoder.js';
export { DEFAULT_EXEC_TIMEOUT_MS } from './commands/exec.js';
export { DEFAULT_FILE_CHUNK_BYTES } from './commands/files.js';
export { readDesktopEntry, desktopEntryApp } from './apps/desktop-entry.js';
export { parseExecLine } from './apps/exec-line.js';
export { LINUX_APPS_SCRIPT, APPLICATION_DIRS, splitDesktopListing, appsFromDesktopFiles, type DesktopFile } from './apps/linux.js';
export { WINDOWS_APPS_SCRIPT, windowsAppsRequest, parseWindowsShortcuts } from './apps/windows.js';
export { splitWindowsCommandLine } from './apps/windows-command-line.js';

function optional<T>(container: PluginContainer, token: string): T | undefined {
  return container.isRegistered(token, true) ? container.resolve<T>(token) : undefined;
}

export function register(container: PluginContainer): void {
  container.register<GuestAgentPlugin>(Tokens.GuestAgent, {
    useFactory: (resolver) =>
      new QgaGuestAgentPlugin({
        clock: optional<Clock>(resolver, Tokens.Clock),
        logger: optional<PluginLogger>(resolver, Tokens.Logger),
      }),
  });
}
