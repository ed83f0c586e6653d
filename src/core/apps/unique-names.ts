import type { CatalogApp } from '../setup/app-catalog.js';

export interface WorkspaceApps {
  workspace: string;
  apps: readonly CatalogApp[];
}

/**
 * "Name (workspace)": the name as it reads beside other workspaces' apps. A name that already
 * ends in " (workspace)" is left as it is, so no path that decorates names (unique names, the
 * host's desktop entries) can decorate one twice ("Hello (demo) (demo)").
 */
export function withWorkspace(name: string, workspace: string): string {
  return name.endsWith(` (${workspace})`) ? name : `${name} (${workspace})`;
}

/**
 * Published names unique across workspaces, as a host menu lists them side by side: a name
 * (ignoring case) that more than one workspace publishes becomes "Name (workspace)" in each of
 * them. Returns workspace → app id → published name.
 */
export function uniqueNames(all: readonly WorkspaceApps[]): Map<string, Map<string, string>> {
  const publishers = new Map<string, Set<string>>();
  for (const { workspace, apps } of all) {
    for (const app of apps) {
      const key = app.name.toLowerCase();
      const set = publishers.get(key) ?? new Set<string>();
      set.add(workspace);
      publishers.set(key, set);
    }
  }
  const names = new Map<string, Map<string, string>>();
  for (const { workspace, apps } of all) {
    const own = new Map<string, string>();
    for (const app of apps) own.set(app.id, (publishers.get(app.name.toLowerCase())?.size ?? 0) > 1 ? withWorkspace(app.name, workspace) : app.name);
    names.set(workspace, own);
  }
  return names;
}
