import { join } from 'node:path';
import type { GuestApp } from '../../plugin-api/index.js';
import type { WorkspaceManifest } from '../package/manifest-schema.js';
import { readJson, writeJsonAtomic } from '../workspace/atomic-json.js';
import type { WorkspaceLayout } from '../workspace/layout.js';

export interface CatalogApp extends GuestApp {
  /** Found in the guest, or declared in workspace.json. */
  origin: 'discovered' | 'declared';
}

/** The workspace's published apps, as setup found them (`<workspace>/apps.json`). */
export interface AppCatalog {
  workspace: string;
  version: string;
  updatedAt: string;
  apps: CatalogApp[];
}

export function appsFile(layout: WorkspaceLayout): string {
  return join(layout.workspaceDir, 'apps.json');
}

/** `*` matches any run of characters; the rest is literal and case-insensitive. */
function ruleRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** A rule matches an app by its id or by its name. */
export function matchesRule(app: Pick<GuestApp, 'id' | 'name'>, pattern: string): boolean {
  const rule = ruleRegExp(pattern);
  return rule.test(app.id) || rule.test(app.name);
}

/**
 * Discovered apps pass the include rules (none: all pass) and then the exclude rules; apps
 * declared in workspace.json are always published, and replace a discovered app of the same id.
 */
export function buildCatalog(discovered: readonly GuestApp[], publishing: WorkspaceManifest['publishing']): CatalogApp[] {
  const declared: CatalogApp[] = publishing.apps.map((app) => ({ ...app, source: 'workspace.json', origin: 'declared' }));
  const declaredIds = new Set(declared.map((app) => app.id));
  const kept = discovered
    .filter((app) => !declaredIds.has(app.id))
    .filter((app) => publishing.include.length === 0 || publishing.include.some((rule) => matchesRule(app, rule)))
    .filter((app) => !publishing.exclude.some((rule) => matchesRule(app, rule)))
    .map((app): CatalogApp => ({ ...app, origin: 'discovered' }));
  return [...kept, ...declared].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function writeCatalog(layout: WorkspaceLayout, catalog: AppCatalog): Promise<void> {
  return writeJsonAtomic(appsFile(layout), catalog);
}

export function readCatalog(layout: WorkspaceLayout): Promise<AppCatalog | undefined> {
  return readJson<AppCatalog>(appsFile(layout));
}
