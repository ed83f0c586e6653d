import type { MenuEntry } from '../../core/apps/menu-entries.js';
import type { GuiLaunch } from '../../core/apps/run-app.js';
import { isTwinboxError } from '../../plugin-api/index.js';

/** The menu's status area: nothing, a launch in progress, a note, or a failure with where to get help. */
export type MenuStatus =
  | { kind: 'idle' }
  | { kind: 'progress'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'failure'; text: string; help?: string };

/** One line of reason, and the package's help URL (else the error's hint) on the next. */
export function failureStatus(entry: MenuEntry, error: unknown): MenuStatus {
  const known = isTwinboxError(error);
  const reason = known ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
  const help = entry.helpUrl ? `help: ${entry.helpUrl}` : known && error.hint ? `hint: ${error.hint}` : undefined;
  return { kind: 'failure', text: `${entry.app.name}: ${reason.split('\n')[0]}`, help };
}

/** Where a GUI app the menu opened shows its window. */
export function launchedNote(entry: MenuEntry, launched: GuiLaunch): string {
  if (launched.via === 'remoteapp') return `${entry.app.name} opened as a window on your desktop through RDP RemoteApp (FreeRDP ${launched.client.version})`;
  return `${entry.app.name} started in the guest; its window is on the VM's screen: ${launched.display.viewer}`;
}
