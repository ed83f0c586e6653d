import type { GuestApp } from 'twinbox/plugin-api';
import type { Core } from '../../../../src/core/open-core.js';
import { writeCatalog, type CatalogApp } from '../../../../src/core/setup/app-catalog.js';
import { openWorkspace } from '../../../../src/core/workspace/open-workspace.js';

/** A catalog as first-time setup writes it, for tests about listing apps (nothing runs). */
export async function publish(core: Core, workspace: string, apps: Array<Pick<GuestApp, 'id' | 'name'> & Partial<GuestApp>>): Promise<void> {
  const ws = openWorkspace(core, workspace);
  const catalog: CatalogApp[] = apps.map((app) => ({ kind: 'command', command: [`/usr/bin/${app.id}`], source: `/usr/share/applications/${app.id}.desktop`, origin: 'discovered', ...app }));
  await writeCatalog(ws.layout, { workspace, version: ws.entry().version, updatedAt: new Date(0).toISOString(), apps: catalog });
}
