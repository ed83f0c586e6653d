import { realpathSync } from 'node:fs';
import { openCore } from '../core/open-core.js';
import { publishShims, removeShims, type ShimsResult } from '../core/publishing/sync-shims.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

function summary(result: ShimsResult, removing: boolean): string {
  const lines = [
    ...result.created.map((path) => `  made     ${path}`),
    ...result.updated.map((path) => `  updated  ${path}`),
    ...result.removed.map((path) => `  removed  ${path}`),
    ...result.skipped.map(({ path, reason }) => `  skipped  ${path}: ${reason}`),
  ];
  const head = removing
    ? `host integration removed: ${result.removed.length} file(s)`
    : `host integration in sync: ${result.created.length} made, ${result.updated.length} updated, ${result.removed.length} removed, ${result.unchanged.length} unchanged`;
  const hint = !removing && !result.binDirOnPath ? [`hint: ${result.binDir} is not on your PATH; add it (export PATH="${result.binDir}:$PATH") to run the shims by name`] : [];
  return `${[head, ...lines, ...hint].join('\n')}\n`;
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { shims: { type: 'boolean' }, remove: { type: 'boolean' }, 'bin-dir': { type: 'string' }, 'applications-dir': { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.shims) throw new UsageError('say what to publish: twinbox publish --shims [--remove]');
  if (values.remove && (values['bin-dir'] !== undefined || values['applications-dir'] !== undefined)) {
    throw new UsageError('--remove removes the files where they were made: it takes no --bin-dir or --applications-dir');
  }
  const core = openCore({ env: context.env });
  const script = realpathSync(process.argv[1]!);
  const result = values.remove
    ? await removeShims(core)
    : await publishShims(core, {
        binDir: values['bin-dir'],
        applicationsDir: values['applications-dir'],
        launcher: { node: process.execPath, script, ...(context.env.TWINBOX_HOME ? { home: context.env.TWINBOX_HOME } : {}) },
      });
  if (values.json) {
    context.stdout.write(json(result ?? { removed: [] }));
    return 0;
  }
  context.stdout.write(result ? summary(result, values.remove === true) : 'no shims to remove: `twinbox publish --shims` was never run\n');
  return 0;
}
