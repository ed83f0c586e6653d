import { openCore } from '../core/open-core.js';
import { stopWorkspace } from '../core/workspace/stop-workspace.js';
import { json } from './format.js';
import type { CommandContext } from './table.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

/** The one workspace name a lifecycle command acts on. */
export function lifecycleTarget(positionals: string[]): string {
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new UsageError('give exactly one workspace name');
  return name;
}

/** A `--timeout`-style option in seconds, as milliseconds. */
export function seconds(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new UsageError(`${option} takes a number of seconds`);
  return Math.round(parsed * 1000);
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, force: { type: 'boolean' }, timeout: { type: 'string' } },
  });
  const name = lifecycleTarget(positionals);
  const core = openCore({ env: context.env });
  const result = await stopWorkspace(core, name, {
    force: values.force,
    timeoutMs: seconds(values.timeout, '--timeout'),
    onProgress: (message) => {
      if (!values.json) context.stdout.write(`  ${message}\n`);
    },
  });
  if (values.json) context.stdout.write(json(result));
  else context.stdout.write(result.how === 'already-stopped' ? `${name} was already stopped\n` : `${name} stopped (${result.how})\n`);
  return 0;
}
