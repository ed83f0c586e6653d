import type { GuiLaunch } from '../core/apps/run-app.js';

/** What to tell the user about a GUI app left running: where its window is. */
export function launchedMessage(launched: GuiLaunch): string {
  if (launched.via === 'remoteapp') {
    const { client, pid } = launched;
    return `twinbox: opened as a window on your desktop through RDP RemoteApp (FreeRDP ${client.version}, ${client.program} pid ${pid}); closing the window closes the app\n`;
  }
  const { pid, display } = launched;
  return `twinbox: started in the guest (pid ${pid}); its window is on the VM's screen (${display.protocol.toUpperCase()} at ${display.address}): ${display.viewer}\n`;
}

/** The launch for `--json`: how the window is shown, and where. */
export function launchedJson(launched: GuiLaunch): Record<string, unknown> {
  if (launched.via === 'remoteapp') return { via: 'remoteapp', pid: launched.pid, client: launched.client, address: launched.address, log: launched.logFile };
  return { via: 'screen', pid: launched.pid, display: launched.display };
}
