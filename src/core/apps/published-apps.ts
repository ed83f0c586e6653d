import { TwinboxError } from '../../plugin-api/index.js';
import type { Core } from '../open-core.js';
import { readCatalog, type CatalogApp } from '../setup/app-catalog.js';
import type { Settings } from '../settings/settings.js';
import { CoreTokens } from '../tokens.js';
import { openRegistry, openWorkspace } from '../workspace/open-workspace.js';
import { workspaceLayout } from '../workspace/layout.js';
import type { TwinboxPaths } from '../paths.js';
import { uniqueNames, type WorkspaceApps } from './unique-names.js';

export interface PublishedApp extends CatalogApp {
  /** The name the guest gives the app, when `name` had to be made unique across workspaces. */
  guestName?: string;
}

export interface PublishedApps {
  workspace: string;
  /** Empty until first-time setup has discovered the guest's apps, and while publishing is off. */
  apps: PublishedApp[];
  updatedAt?: string;
  /** publishing.enabled is off (by the user or machine policy): no app is published. */
  disabled?: { source: string };
}

/** Every installed workspace's catalog; a workspace whose catalog cannot be read publishes nothing. */
async function allCatalogs(core: Core): Promise<WorkspaceApps[]> {
  const paths = core.container.resolve<TwinboxPaths>(CoreTokens.Paths);
  return Promise.all(
    openRegistry(core)
      .list()
      .map(async (entry) => ({ workspace: entry.name, apps: (await readCatalog(workspaceLayout(paths, entry.name, entry.version)))?.apps ?? [] })),
  );
}

/**
 * The workspace's published apps, from its catalog, with names unique across workspaces. A
 * read: takes no lock, starts nothing. With publishing.enabled off nothing is published, at
 * once, whatever the catalog files still hold.
 */
export async function publishedApps(core: Core, name: string): Promise<PublishedApps> {
  const ws = openWorkspace(core, name);
  const settings = core.container.resolve<Settings>(CoreTokens.Settings);
  if (!settings.get('publishing.enabled')) return { workspace: name, apps: [], disabled: { source: settings.describe('publishing.enabled').source } };
  const catalog = await readCatalog(ws.layout);
  const apps = catalog?.apps ?? [];
  const names = uniqueNames([...(await allCatalogs(core)).filter((other) => other.workspace !== name), { workspace: name, apps }]).get(name)!;
  return {
    workspace: name,
    apps: apps.map((app) => {
      const unique = names.get(app.id) ?? app.name;
      return unique === app.name ? app : { ...app, name: unique, guestName: app.name };
    }),
    updatedAt: catalog?.updatedAt,
  };
}

/** Finds an app by id, or by its published or guest name ignoring case. */
export function findApp(published: PublishedApps, wanted: string): PublishedApp {
  if (published.disabled) {
    throw new TwinboxError('publishing-disabled', `app publishing is turned off (publishing.enabled is false, set by ${published.disabled.source})`, {
      hint: published.disabled.source.startsWith('policy:') ? 'machine policy decides this; ask your administrator' : 'turn it on with `twinbox config set publishing.enabled true`',
      exit: 'denied',
    });
  }
  const lower = wanted.toLowerCase();
  const app =
    published.apps.find((candidate) => candidate.id === wanted) ??
    published.apps.find((candidate) => candidate.name.toLowerCase() === lower) ??
    published.apps.find((candidate) => candidate.guestName?.toLowerCase() === lower);
  if (!app) {
    const known = published.apps.map((candidate) => candidate.id).join(', ') || 'none (has setup run?)';
    throw new TwinboxError('app-not-found', `workspace "${published.workspace}" publishes no app "${wanted}"`, {
      hint: `published apps: ${known}; see \`twinbox apps ${published.workspace}\``,
      exit: 'usage',
    });
  }
  return app;
}
