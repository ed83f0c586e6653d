import { openCore } from '../core/open-core.js';
import { runSetup } from '../core/setup/setup-workspace.js';
import type { CommandContext } from './command-context.js';
import { parseMode, resultLine, setupView, silencedInSilentMode } from './setup-view.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, mode: { type: 'string' } },
  });
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new UsageError('give exactly one workspace name');
  const mode = parseMode(values.mode);
  const json = values.json === true;
  if (json && mode === 'silent') throw new UsageError('--json and --mode silent contradict each other');
  const view = setupView(context.stdout, json, mode);
  const core = openCore({ env: context.env });
  const outcome = await silencedInSilentMode(view, json, () => runSetup(core, name, view.options));
  if (typeof outcome === 'number') return outcome;
  if (json) context.stdout.write(`${JSON.stringify({ type: 'result', ...outcome })}\n`);
  else if (view.mode() !== 'silent') context.stdout.write(resultLine(outcome));
  return 0;
}
