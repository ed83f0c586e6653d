import { openCore } from '../core/open-core.js';
import type { CommandContext } from './command-context.js';
import { resetWorkspace } from '../core/workspace/reset-workspace.js';
import { confirmed } from './confirm.js';
import { lifecycleTarget } from './lifecycle-args.js';
import { parseMode, resultLine, setupView, silencedInSilentMode } from './setup-view.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, mode: { type: 'string' } },
  });
  const name = lifecycleTarget(positionals);
  const mode = parseMode(values.mode);
  const json = values.json === true;
  if (json && mode === 'silent') throw new UsageError('--json and --mode silent contradict each other');
  const question = {
    question: `Reset ${name}? Everything in its VM is lost and first-time setup runs again.`,
    needs: `reset deletes everything in the VM of "${name}" and`,
    confirmWith: `twinbox reset ${name} --yes`,
  };
  if (!values.yes && !(await confirmed(question, context.stdout))) {
    context.stdout.write('reset cancelled; nothing was changed\n');
    return 1;
  }
  const view = setupView(context.stdout, json, mode);
  const outcome = await silencedInSilentMode(view, json, () => resetWorkspace(openCore({ env: context.env }), name, view.options));
  if (typeof outcome === 'number') return outcome;
  if (json) context.stdout.write(`${JSON.stringify({ type: 'result', ...outcome })}\n`);
  else if (view.mode() !== 'silent') context.stdout.write(resultLine(outcome));
  return 0;
}
