import { TwinboxError } from '../../plugin-api/index.js';
import type { Core } from '../open-core.js';
import { readCatalog, type CatalogApp } from '../setup/app-catalog.js';
import { openRegistry, openWorkspace, type Workspace } from '../workspace/open-workspace.js';
import { visibleWorkspaces } from '../workspace/visible-workspaces.js';

export interface PublishedApps {
  workspace: string;
  scope: Workspace['scope'];
  /** Empty until first-time setup has discovered the guest's apps. */
  apps: CatalogApp[];
  updatedAt?: string;
}

/** The workspace's published apps, from its catalog. A read: takes no lock, starts nothing. */
export async function publishedApps(core: Core, name: string): Promise<PublishedApps> {
  return appsOf(openWorkspace(core, name));
}

async function appsOf(ws: Workspace): Promise<PublishedApps> {
  const catalog = await readCatalog(ws.layout);
  return { workspace: ws.name, scope: ws.scope, apps: catalog?.apps ?? [], updatedAt: catalog?.updatedAt };
}

/** The apps of every workspace this user may use, their own and the machine-wide ones, by workspace name. */
export async function everyPublishedApp(core: Core): Promise<PublishedApps[]> {
  const registry = openRegistry(core);
  return Promise.all(visibleWorkspaces(core, registry).names.map((name) => appsOf(openWorkspace(core, name, registry))));
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
