import { TwinboxError } from '../../plugin-api/index.js';
import type { Core } from '../open-core.js';
import { catalogDamaged, checkCatalog, type CatalogApp } from '../setup/app-catalog.js';
import { openRegistry, openWorkspace, type Workspace } from '../workspace/open-workspace.js';
import type { WorkspaceRegistry } from '../workspace/registry.js';
import { visibleWorkspaces } from '../workspace/visible-workspaces.js';
import { uniqueNames } from './unique-names.js';

export interface PublishedApp extends CatalogApp {
  /** The name the guest gives the app, when `name` had to be made unique across workspaces. */
  guestName?: string;
}

export interface PublishedApps {
  workspace: string;
  scope: Workspace['scope'];
  /** Empty until first-time setup has discovered the guest's apps, and while publishing is off. */
  apps: PublishedApp[];
  updatedAt?: string;
  /** publishing.enabled is off (by the user or machine policy): no app is published. */
  disabled?: { source: string };
  /** Its apps.json is damaged: no app can be published until it is discovered again. */
  damaged?: { file: string; problem: string };
}

/** A workspace's catalog as its guest names the apps. */
async function catalogApps(ws: Workspace): Promise<PublishedApps> {
  const checked = checkCatalog(ws.layout);
  if (checked.kind === 'damaged') return { workspace: ws.name, scope: ws.scope, apps: [], damaged: { file: checked.file, problem: checked.problem } };
  const catalog = checked.kind === 'good' ? checked.catalog : undefined;
  return { workspace: ws.name, scope: ws.scope, apps: catalog?.apps ?? [], updatedAt: catalog?.updatedAt };
}

/** publishing.enabled off: where it was turned off, else undefined. */
function publishingOff(core: Core): { source: string } | undefined {
  const settings = core.settings;
  return settings.get('publishing.enabled') ? undefined : { source: settings.describe('publishing.enabled').source };
}

/** Names made unique across every workspace this user may use, as a host menu lists them side by side. */
async function withUniqueNames(core: Core, registry: WorkspaceRegistry, wanted: PublishedApps[]): Promise<PublishedApps[]> {
  const listed = new Set(wanted.map((published) => published.workspace));
  const others = await Promise.all(
    visibleWorkspaces(core, registry)
      .names.filter((name) => !listed.has(name))
      .map((name) => catalogApps(openWorkspace(core, name, registry))),
  );
  const names = uniqueNames([...others, ...wanted]);
  return wanted.map((published) => ({
    ...published,
    apps: published.apps.map((app) => {
      const unique = names.get(published.workspace)?.get(app.id) ?? app.name;
      return unique === app.name ? app : { ...app, name: unique, guestName: app.name };
    }),
  }));
}

/**
 * The workspace's published apps, from its catalog, with names unique across workspaces. A
 * read: takes no lock, starts nothing. With publishing.enabled off nothing is published, at
 * once, whatever the catalog files still hold.
 */
export async function publishedApps(core: Core, name: string): Promise<PublishedApps> {
  const registry = openRegistry(core);
  const ws = openWorkspace(core, name, registry);
  const disabled = publishingOff(core);
  if (disabled) return { workspace: name, scope: ws.scope, apps: [], disabled };
  const own = await catalogApps(ws);
  // One workspace asked for by name: its damaged catalog is the answer, not "no apps yet".
  if (own.damaged) throw catalogDamaged(name, own.damaged.file, own.damaged.problem);
  const [published] = await withUniqueNames(core, registry, [own]);
  return published!;
}

/** The apps of every workspace this user may use, their own and the machine-wide ones, by workspace name. */
export async function everyPublishedApp(core: Core): Promise<PublishedApps[]> {
  const registry = openRegistry(core);
  const all = await Promise.all(visibleWorkspaces(core, registry).names.map((name) => catalogApps(openWorkspace(core, name, registry))));
  const disabled = publishingOff(core);
  if (disabled) return all.map((published) => ({ ...published, apps: [], disabled }));
  return withUniqueNames(core, registry, all);
}

/** Finds an app by id, or by its published or guest name ignoring case. */
export function findApp(published: PublishedApps, wanted: string): PublishedApp {
  if (published.disabled) {
    throw new TwinboxError('publishing-disabled', `app publishing is turned off (publishing.enabled is false, set by ${published.disabled.source})`, {
      hint: published.disabled.source.startsWith('policy:') ? 'machine policy decides this; ask your administrator' : 'turn it on with `twinbox config set publishing.enabled true`',
      exit: 'denied',
    });
  }
  if (published.damaged) throw catalogDamaged(published.workspace, published.damaged.file, published.damaged.problem);
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
