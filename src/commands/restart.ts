import { openCore } from '../core/open-core.js';
import { restartWorkspace } from '../core/workspace/restart-workspace.js';
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
  const timeoutMs = seconds(values.timeout, '--timeout');
  const result = await restartWorkspace(openCore({ env: context.env }), name, {
    force: values.force,
    timeoutMs,
    agentTimeoutMs: timeoutMs,
    onProgress: (message) => {
      if (!values.json) context.stdout.write(`  ${message}\n`);
    },
  });
  if (values.json) context.stdout.write(json(result));
  else context.stdout.write(`${name} restarted (shutdown: ${result.stopped})\n`);
  return 0;
}
