import { openCore } from '../core/open-core.js';
import { startWorkspace } from '../core/workspace/start-workspace.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
import { lifecycleTarget, seconds } from './lifecycle-args.js';
import { parseMode, setupView, silencedInSilentMode } from './setup-view.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, timeout: { type: 'string' }, mode: { type: 'string' } },
  });
  const name = lifecycleTarget(positionals);
  const mode = parseMode(values.mode);
  if (values.json && mode === 'silent') throw new UsageError('--json and --mode silent contradict each other');
  const agentTimeoutMs = seconds(values.timeout, '--timeout');
  const core = openCore({ env: context.env });
  // With --json the setup progress stays in the event log; stdout carries only the result.
  const view = setupView(values.json ? undefined : context.stdout, false, mode);
  const say = (message: string) => {
    if (!values.json && view.mode() !== 'silent') context.stdout.write(`  ${message}\n`);
  };
  const outcome = await silencedInSilentMode(view, values.json === true, () => startWorkspace(core, name, { agentTimeoutMs, onProgress: say, setup: view.options }));
  if (typeof outcome === 'number') return outcome;
  if (values.json) context.stdout.write(json(outcome));
  else if (view.mode() === 'silent') return 0;
  else if (outcome.was === 'running') context.stdout.write(`${name} is already running\n`);
  else context.stdout.write(`${name} is running; its guest agent answers\n`);
  return 0;
}
