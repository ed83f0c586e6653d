import { everyPublishedApp, publishedApps, type PublishedApps } from '../core/apps/published-apps.js';
import { openCore } from '../core/open-core.js';
import { json, table } from './format.js';
import type { CommandContext } from './table.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

function appsJson(published: PublishedApps) {
  return published.apps.map(({ id, name, kind, origin, source, categories }) => ({ id, name, kind, source: origin, path: source, categories: categories ?? [] }));
}

/** Without a name: every app of every workspace this user may use, with the workspace and its scope. */
async function listEvery(context: CommandContext, asJson: boolean): Promise<number> {
  const all = await everyPublishedApp(openCore({ env: context.env }));
  if (asJson) {
    context.stdout.write(json(all.flatMap((published) => appsJson(published).map((app) => ({ workspace: published.workspace, scope: published.scope, ...app })))));
    return 0;
  }
  const rows = all.flatMap((published) => published.apps.map((app) => [published.workspace, published.scope, app.id, app.name, app.kind, app.origin]));
  if (rows.length === 0) {
    context.stdout.write(all.length === 0 ? 'no workspaces are installed; install one with `twinbox install PACKAGE`\n' : 'no workspace publishes apps yet (first-time setup discovers them)\n');
    return 0;
  }
  context.stdout.write(table(['WORKSPACE', 'SCOPE', 'ID', 'NAME', 'KIND', 'SOURCE'], rows));
  return 0;
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length > 1) throw new UsageError('give at most one workspace name: twinbox apps [WORKSPACE]');
  if (positionals.length === 0) return listEvery(context, values.json === true);
  const published = await publishedApps(openCore({ env: context.env }), positionals[0]!);
  if (values.json) {
    context.stdout.write(json(appsJson(published)));
    return 0;
  }
  if (published.apps.length === 0) {
    context.stdout.write(`workspace "${published.workspace}" publishes no apps yet (first-time setup discovers them)\n`);
    return 0;
  }
  context.stdout.write(table(['ID', 'NAME', 'KIND', 'SOURCE'], published.apps.map((app) => [app.id, app.name, app.kind, app.origin])));
  return 0;
}
