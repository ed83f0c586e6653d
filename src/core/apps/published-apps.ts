import { TwinboxError } from '../../plugin-api/index.js';
import type { Core } from '../open-core.js';
import { readCatalog, type CatalogApp } from '../setup/app-catalog.js';
import { openWorkspace } from '../workspace/open-workspace.js';

export interface PublishedApps {
  workspace: string;
  /** Empty until first-time setup has discovered the guest's apps. */
  apps: CatalogApp[];
  updatedAt?: string;
}

/** The workspace's published apps, from its catalog. A read: takes no lock, starts nothing. */
export async function publishedApps(core: Core, name: string): Promise<PublishedApps> {
  const ws = openWorkspace(core, name);
  const catalog = await readCatalog(ws.layout);
  return { workspace: name, apps: catalog?.apps ?? [], updatedAt: catalog?.updatedAt };
}

/** Finds an app by id, or by name ignoring case. */
export function findApp(published: PublishedApps, wanted: string): CatalogApp {
  const lower = wanted.toLowerCase();
  const app = published.apps.find((candidate) => candidate.id === wanted) ?? published.apps.find((candidate) => candidate.name.toLowerCase() === lower);
  if (!app) {
    const known = published.apps.map((candidate) => candidate.id).join(', ') || 'none (has setup run?)';
    throw new TwinboxError('app-not-found', `workspace "${published.workspace}" publishes no app "${wanted}"`, {
      hint: `published apps: ${known}; see \`twinbox apps ${published.workspace}\``,
      exit: 'usage',
    });
  }
  return app;
}
