import { statSync } from 'node:fs';
import { join } from 'node:path';
import { TwinboxError, type GuestApp } from '../../plugin-api/index.js';
import { JsonLimitError, parseBoundedJson } from '../policy/bounded-json.js';
import { FileShapeError, readRegularFileSync } from '../policy/read-regular-file.js';
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

/** A catalog far larger than any guest's app list is damage, not a catalog. */
const MAX_CATALOG_BYTES = 16 * 1024 * 1024;

export type CheckedCatalog = { kind: 'none' } | { kind: 'good'; catalog: AppCatalog } | { kind: 'damaged'; file: string; problem: string };

/**
 * The catalog, or why the file there cannot be used: a damaged apps.json must say so, not read
 * as "no apps yet". Missing: setup has not discovered the apps.
 */
export function checkCatalog(layout: WorkspaceLayout): CheckedCatalog {
  const file = appsFile(layout);
  if (!statSync(file, { throwIfNoEntry: false })) return { kind: 'none' };
  let value: unknown;
  try {
    value = parseBoundedJson(readRegularFileSync(file, MAX_CATALOG_BYTES).toString('utf8'));
  } catch (error) {
    if (error instanceof FileShapeError || error instanceof JsonLimitError) return { kind: 'damaged', file, problem: error.message };
    if (error instanceof SyntaxError) return { kind: 'damaged', file, problem: 'not JSON' };
    throw error;
  }
  const catalog = value as Partial<AppCatalog> | null;
  if (typeof catalog !== 'object' || catalog === null || !Array.isArray(catalog.apps)) return { kind: 'damaged', file, problem: 'not an app catalog (no "apps" list)' };
  const bad = catalog.apps.findIndex((app: unknown) => typeof app !== 'object' || app === null || typeof (app as CatalogApp).id !== 'string' || typeof (app as CatalogApp).name !== 'string');
  if (bad >= 0) return { kind: 'damaged', file, problem: `app ${bad + 1} has no id or name` };
  return { kind: 'good', catalog: catalog as AppCatalog };
}

export function catalogDamaged(workspace: string, file: string, problem: string): TwinboxError {
  return new TwinboxError('apps-catalog-damaged', `the app catalog of workspace "${workspace}" (${file}) is damaged: ${problem}`, {
    hint: `run \`twinbox apps ${workspace} --refresh\` with the workspace running to discover its apps again`,
    details: { workspace, file, problem },
  });
}
