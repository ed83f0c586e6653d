import { withWorkspace } from '../apps/unique-names.js';
import type { CatalogApp } from '../setup/app-catalog.js';

/** A desktop-entry string value: no line breaks, and backslashes escaped as the specification asks. */
function stringValue(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').replaceAll('\\', '\\\\').trim();
}

/** An argument of Exec: quoted, with ", `, $ and \ escaped inside the quotes, then as a string value. */
function execArgument(text: string): string {
  const quoted = `"${text.replace(/["`$\\]/g, (character) => `\\${character}`)}"`;
  return quoted.replaceAll('\\', '\\\\').replaceAll('%', '%%');
}

/**
 * The .desktop entry of a published app, for desktop menus: it runs the app's shim with the
 * files it is given. Terminal apps open in a terminal window. Its name is "Name (workspace)".
 */
export function desktopEntry(app: Pick<CatalogApp, 'id' | 'name' | 'kind' | 'categories'> & { guestName?: string }, workspace: string, shimPath: string): string {
  const categories = (app.categories ?? []).filter((category) => /^[A-Za-z0-9-]+$/.test(category));
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    // The guest's own name with the workspace: a published name made unique already says it.
    `Name=${stringValue(withWorkspace(app.guestName ?? app.name, workspace))}`,
    `Comment=${stringValue(`Runs in the guest of twinbox workspace ${workspace}`)}`,
    `Exec=${execArgument(shimPath)} %F`,
    `Terminal=${app.kind === 'terminal' ? 'true' : 'false'}`,
    ...(categories.length > 0 ? [`Categories=${categories.join(';')};`] : []),
    `X-Twinbox-Workspace=${workspace}`,
    `X-Twinbox-App=${stringValue(app.id)}`,
    '',
  ].join('\n');
}
