import { openCore } from '../core/open-core.js';
import { suspendWorkspace } from '../core/workspace/suspend-workspace.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
import { lifecycleTarget } from './lifecycle-args.js';
import { parseCommandArgs } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const name = lifecycleTarget(positionals);
  const result = await suspendWorkspace(openCore({ env: context.env }), name);
  if (values.json) context.stdout.write(json(result));
  else context.stdout.write(result.was === 'suspended' ? `${name} was already suspended\n` : `${name} suspended: its memory is saved; \`twinbox resume ${name}\` continues it\n`);
  return 0;
}
