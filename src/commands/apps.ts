import { describeChanges } from '../core/apps/catalog-changes.js';
import { publishedApps } from '../core/apps/published-apps.js';
import { refreshCatalog } from '../core/apps/refresh-catalog.js';
import { openCore } from '../core/open-core.js';
import { json, table } from './format.js';
import type { CommandContext } from './table.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({ args, options: { json: { type: 'boolean' }, refresh: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('give one workspace name: twinbox apps WORKSPACE');
  const core = openCore({ env: context.env });
  const name = positionals[0]!;
  if (values.refresh) {
    const refreshed = await refreshCatalog(core, name);
    if (!values.json) context.stderr.write(`twinbox: refreshed from the guest: ${describeChanges(refreshed.changes)}\n`);
  }
  const published = await publishedApps(core, name);
  if (values.json) {
    context.stdout.write(
      json(published.apps.map(({ id, name, guestName, kind, origin, source, categories }) => ({ id, name, guestName: guestName ?? name, kind, source: origin, path: source, categories: categories ?? [] }))),
    );
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
