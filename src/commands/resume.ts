import { openCore } from '../core/open-core.js';
import { resumeWorkspace } from '../core/workspace/resume-workspace.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
import { lifecycleTarget, seconds } from './lifecycle-args.js';
import { parseCommandArgs } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, timeout: { type: 'string' } },
  });
  const name = lifecycleTarget(positionals);
  const result = await resumeWorkspace(openCore({ env: context.env }), name, {
    agentTimeoutMs: seconds(values.timeout, '--timeout'),
    onProgress: (message) => {
      if (!values.json) context.stdout.write(`  ${message}\n`);
    },
  });
  if (values.json) context.stdout.write(json(result));
  else context.stdout.write(result.was === 'running' ? `${name} is already running\n` : `${name} resumed (was ${result.was})\n`);
  return 0;
}
