import { openCore } from '../core/open-core.js';
import { stopWorkspace } from '../core/workspace/stop-workspace.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
import { lifecycleTarget, seconds } from './lifecycle-args.js';
import { parseCommandArgs } from './usage-error.js';

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
