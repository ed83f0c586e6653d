import { describeChanges } from '../core/apps/catalog-changes.js';
import { everyPublishedApp, publishedApps, type PublishedApps } from '../core/apps/published-apps.js';
import { refreshCatalog } from '../core/apps/refresh-catalog.js';
import { openCore } from '../core/open-core.js';
import type { CommandContext } from './command-context.js';
import { json, table } from './format.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

function appsJson(published: PublishedApps) {
  return published.apps.map(({ id, name, guestName, kind, origin, source, categories }) => ({ id, name, guestName: guestName ?? name, kind, source: origin, path: source, categories: categories ?? [] }));
}

/** Without a name: every app of every workspace this user may use, with the workspace and its scope. */
async function listEvery(context: CommandContext, asJson: boolean): Promise<number> {
  const all = await everyPublishedApp(openCore({ env: context.env }));
  if (asJson) {
    context.stdout.write(json(all.flatMap((published) => appsJson(published).map((app) => ({ workspace: published.workspace, scope: published.scope, ...app })))));
    return 0;
  }
  const rows = all.flatMap((published) => published.apps.map((app) => [published.workspace, published.scope, app.id, app.name, app.kind, app.origin]));
  const disabled = all[0]?.disabled;
  if (disabled) {
    context.stdout.write(`app publishing is turned off (publishing.enabled is false, set by ${disabled.source}): no workspace publishes apps\n`);
    return 0;
  }
  if (rows.length === 0) {
    context.stdout.write(all.length === 0 ? 'no workspaces are installed; install one with `twinbox install PACKAGE`\n' : 'no workspace publishes apps yet (first-time setup discovers them)\n');
    return 0;
  }
  context.stdout.write(table(['WORKSPACE', 'SCOPE', 'ID', 'NAME', 'KIND', 'SOURCE'], rows));
  return 0;
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({ args, options: { json: { type: 'boolean' }, refresh: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length > 1) throw new UsageError('give at most one workspace name: twinbox apps [WORKSPACE]');
  if (positionals.length === 0) {
    if (values.refresh) throw new UsageError('--refresh needs a workspace name: twinbox apps WORKSPACE --refresh');
    return listEvery(context, values.json === true);
  }
  const core = openCore({ env: context.env });
  const name = positionals[0]!;
  if (values.refresh) {
    const refreshed = await refreshCatalog(core, name);
    if (!values.json) context.stderr.write(`twinbox: refreshed from the guest: ${describeChanges(refreshed.changes)}\n`);
  }
  const published = await publishedApps(core, name);
  if (values.json) {
    context.stdout.write(json(appsJson(published)));
    return 0;
  }
  if (published.disabled) {
    context.stdout.write(`app publishing is turned off (publishing.enabled is false, set by ${published.disabled.source}): workspace "${name}" publishes no apps\n`);
    return 0;
  }
  if (published.apps.length === 0) {
    context.stdout.write(`workspace "${published.workspace}" publishes no apps yet (first-time setup discovers them)\n`);
    return 0;
  }
  context.stdout.write(table(['ID', 'NAME', 'KIND', 'SOURCE'], published.apps.map((app) => [app.id, app.name, app.kind, app.origin])));
  return 0;
}
