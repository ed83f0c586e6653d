import type { RunAppResult } from '../core/apps/run-app.js';

/** What to tell the user about a GUI app left running in the guest: where its window is. */
export function launchedMessage(launched: NonNullable<RunAppResult['launched']>): string {
  const { pid, display } = launched;
  return `twinbox: started in the guest (pid ${pid}); its window is on the VM's screen (${display.protocol.toUpperCase()} at ${display.address}): ${display.viewer}\n`;
}
