import { isTwinboxError } from '../../plugin-api/index.js';
import type { Core } from '../open-core.js';
import type { WorkspaceManifest } from '../package/manifest-schema.js';
import { byName } from '../workspace/by-name.js';
import { usableWorkspaces } from '../workspace/visible-workspaces.js';
import { packageLayerOf } from '../settings/package-layer.js';
import type { Settings } from '../settings/settings.js';
import { loadManifestWithRaw } from '../workspace/load-manifest.js';
import type { OpenTarget } from './open-target.js';
import { describeFolders, mapHostPath } from './shared-folders.js';
import { compareSpecificity, judgeRule, parseUrlRule, UrlRuleProblem, type UrlRule } from './url-rule.js';

/** One rule as `--explain` shows it. */
export interface ConsideredRule {
  workspace: string;
  rule: string;
  /** Where the rule comes from: package, user or policy:<file>. */
  source: string;
  matched: boolean;
  reason: string;
}

/** Why an open that goes to the guest cannot go ahead (a file outside the shared folders). */
export interface Blocked {
  code: string;
  message: string;
  hint: string;
}

/** Where `twinbox open` sends its argument, and why. */
export interface Route {
  target: string;
  kind: OpenTarget['kind'];
  destination: 'guest' | 'host';
  /** One sentence: which rule matched and why, or why the host opens it. */
  reason: string;
  workspace?: string;
  /** The URL rule that matched. */
  rule?: { text: string; source: string };
  /** A file: the guest app its type maps to, and the file's path in the guest. */
  app?: string;
  guestPath?: string;
  blocked?: Blocked;
  considered: ConsideredRule[];
  /** Rules that cannot be read, workspaces whose package is damaged: skipped, and said. */
  problems: string[];
}

interface WorkspaceRules {
  name: string;
  manifest: WorkspaceManifest;
  rules: Array<{ rule: UrlRule; source: string }>;
}

async function workspaceRules(core: Core, problems: string[]): Promise<WorkspaceRules[]> {
  const settings = core.settings;
  const found: WorkspaceRules[] = [];
  for (const entry of usableWorkspaces(core)) {
    let manifest: WorkspaceManifest;
    let layered: Settings;
    try {
      const loaded = await loadManifestWithRaw(entry.storeDir, entry.name);
      manifest = loaded.manifest;
      layered = settings.forPackage(packageLayerOf(entry.name, loaded.raw));
    } catch (error) {
      if (!isTwinboxError(error)) throw error;
      problems.push(`workspace "${entry.name}" skipped: ${error.message}`);
      continue;
    }
    // A policy that governs the rules but cannot be read refuses here (exit 4): never fall open.
    const texts = layered.get('redirection.urls');
    const source = layered.describe('redirection.urls').source;
    const rules: WorkspaceRules['rules'] = [];
    for (const text of texts) {
      try {
        rules.push({ rule: parseUrlRule(text), source });
      } catch (error) {
        if (!(error instanceof UrlRuleProblem)) throw error;
        problems.push(`workspace "${entry.name}": the rule ${JSON.stringify(text)} (${source}) ${error.message}; it is ignored`);
      }
    }
    found.push({ name: entry.name, manifest, rules });
  }
  return found;
}

/**
 * A web address goes to the workspace with the most specific matching rule (more literal host
 * characters, then more literal path characters, then fewer wildcards); between workspaces
 * with equally specific rules, the first by name. Nothing matches: the host opens it.
 */
function routeWeb(target: Extract<OpenTarget, { kind: 'web' }>, workspaces: WorkspaceRules[], problems: string[]): Route {
  const considered: ConsideredRule[] = [];
  const matches: Array<{ workspace: string; rule: UrlRule; source: string; reason: string }> = [];
  for (const workspace of workspaces) {
    for (const { rule, source } of workspace.rules) {
      const verdict = judgeRule(rule, target.url);
      considered.push({ workspace: workspace.name, rule: rule.text, source, ...verdict });
      if (verdict.matched) matches.push({ workspace: workspace.name, rule, source, reason: verdict.reason });
    }
  }
  const base = { target: target.text, kind: target.kind, considered, problems };
  matches.sort((a, b) => compareSpecificity(a.rule, b.rule) || byName(a.workspace, b.workspace));
  const best = matches[0];
  if (!best) {
    const reason = considered.length === 0 ? 'no workspace has URL redirection rules' : `none of the ${considered.length} URL redirection rules matches`;
    return { ...base, destination: 'host', reason };
  }
  const others = matches.length > 1 ? ` (${matches.length - 1} other matching rule${matches.length > 2 ? 's are' : ' is'} less specific or in a later workspace)` : '';
  return {
    ...base,
    destination: 'guest',
    workspace: best.workspace,
    rule: { text: best.rule.text, source: best.source },
    reason: `the rule ${best.rule.text} of workspace "${best.workspace}" (${best.source}) matches: ${best.reason}${others}`,
  };
}

/** A file goes to the first workspace (by name) whose package maps its extension to an app. */
function routeFile(target: Extract<OpenTarget, { kind: 'file' }>, workspaces: WorkspaceRules[], problems: string[]): Route {
  const considered: ConsideredRule[] = [];
  const base = { target: target.path, kind: target.kind, considered, problems };
  let chosen: { workspace: WorkspaceRules; app: string } | undefined;
  for (const workspace of workspaces) {
    for (const [extension, app] of Object.entries(workspace.manifest.redirection.fileTypes)) {
      const matched = target.extension !== '' && extension.toLowerCase() === target.extension;
      considered.push({ workspace: workspace.name, rule: `.${extension} → ${app}`, source: 'package', matched, reason: matched ? `the file is a .${target.extension}` : `the file is not a .${extension}` });
      if (matched) chosen ??= { workspace, app };
    }
  }
  if (!chosen) {
    const what = target.extension === '' ? 'the file has no extension' : `no workspace maps .${target.extension} files to an app`;
    return { ...base, destination: 'host', reason: what };
  }
  const { workspace, app } = chosen;
  const route: Route = { ...base, destination: 'guest', workspace: workspace.name, app, reason: `workspace "${workspace.name}" opens .${target.extension} files with its app "${app}"` };
  const folders = workspace.manifest.sharedFolders;
  const mapped = mapHostPath(folders, target.path);
  if (mapped) return { ...route, guestPath: mapped.guestPath };
  route.blocked = {
    code: 'not-in-shared-folder',
    message: `${target.path} is not in a folder shared with workspace "${workspace.name}", so its app "${app}" cannot reach it`,
    hint:
      folders.length > 0
        ? `move or copy it into a shared folder: ${describeFolders(folders)}`
        : `the package shares no folders: add a sharedFolders entry ({"host": "~/Documents", "guest": "/mnt/documents"}) to its workspace.json`,
  };
  return route;
}

/** Decides where `twinbox open` sends its argument. Reads only: starts and opens nothing. */
export async function routeTarget(core: Core, target: OpenTarget): Promise<Route> {
  const problems: string[] = [];
  if (target.kind === 'other-url') {
    return { target: target.text, kind: target.kind, destination: 'host', reason: `only http and https addresses are redirected; ${target.scheme}: goes to the host`, considered: [], problems };
  }
  const workspaces = await workspaceRules(core, problems);
  return target.kind === 'web' ? routeWeb(target, workspaces, problems) : routeFile(target, workspaces, problems);
}
