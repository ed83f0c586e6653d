import type { Core } from '../open-core.js';
import type { CatalogApp } from '../setup/app-catalog.js';
import { loadManifest } from '../workspace/load-manifest.js';
import { publishedApps } from './published-apps.js';
import type { AccessIdentity } from '../system/caller.js';
import { usableWorkspaces } from '../workspace/visible-workspaces.js';
import { readUsageCounts, usageKey } from './usage-counts.js';

/** One line of the end-user app menu. */
export interface MenuEntry {
  /** `workspace/app-id`: unique across the menu. */
  key: string;
  workspace: string;
  /** The workspace's first category of the app, when the guest names one. */
  category?: string;
  /** What the menu groups by: the workspace, and the category within it. */
  group: string;
  app: CatalogApp;
  /** How often this user launched it. */
  uses: number;
  /** The package's help URL (setup.messages.helpUrl), shown beside a failure. */
  helpUrl?: string;
}

/** An app's line in the menu, under its workspace and the first category the guest gives it. */
export function menuEntry(workspace: string, app: CatalogApp, uses: number, helpUrl?: string): MenuEntry {
  const category = app.categories?.[0];
  return { key: usageKey(workspace, app.id), workspace, category, group: category ? `${workspace} / ${category}` : workspace, app, uses, helpUrl };
}

/**
 * Groups ordered by their most-used app, then by name; apps within a group most-used first,
 * then by name. `twinbox menu` and `twinbox menu --list` show this same order.
 */
export function orderMenu(entries: MenuEntry[]): MenuEntry[] {
  const topUses = new Map<string, number>();
  for (const entry of entries) topUses.set(entry.group, Math.max(topUses.get(entry.group) ?? 0, entry.uses));
  return [...entries].sort(
    (a, b) =>
      topUses.get(b.group)! - topUses.get(a.group)! ||
      a.group.localeCompare(b.group) ||
      b.uses - a.uses ||
      a.app.name.localeCompare(b.app.name) ||
      a.key.localeCompare(b.key),
  );
}

/**
 * The published apps of every workspace this user may use, in menu order. Reads only: takes
 * no lock and starts nothing; a workspace not yet set up publishes nothing yet.
 */
export async function menuEntries(core: Core, identity?: AccessIdentity): Promise<MenuEntry[]> {
  const usage = await readUsageCounts(core);
  const perWorkspace = await Promise.all(
    usableWorkspaces(core, identity).map(async (workspace) => {
      const { apps } = await publishedApps(core, workspace.name);
      if (apps.length === 0) return [];
      // A damaged package still lists its apps: launching one reports the damage itself.
      const manifest = await loadManifest(workspace.storeDir, workspace.name).catch(() => undefined);
      const helpUrl = manifest?.setup.messages.helpUrl;
      return apps.map((app) => menuEntry(workspace.name, app, usage.get(usageKey(workspace.name, app.id))?.count ?? 0, helpUrl));
    }),
  );
  return orderMenu(perWorkspace.flat());
}
