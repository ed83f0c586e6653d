import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Tokens, type Clock } from '../plugin-api/index.js';
import { runHostAgent } from '../core/agent/run-agent.js';
import { openCore } from '../core/open-core.js';
import { json } from './format.js';
import type { CommandContext } from './table.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

function metricsTarget(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '-' || value === '') throw new UsageError('--metrics takes the path of a .prom file (the agent runs in the background: no standard output)');
  const file = resolve(value);
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--metrics: the folder ${dir} does not exist`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`--metrics: ${file} is a folder; give a file in it, such as ${file}/twinbox.prom`);
  return file;
}

/**
 * The host agent in the foreground, as the systemd user unit runs it. SIGTERM and SIGINT end it
 * cleanly (exit 0) after the round in progress, leaving every workspace as it is.
 */
export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { once: { type: 'boolean' }, metrics: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length > 0) throw new UsageError('the agent takes no arguments: it looks after every workspace of this user');
  if (values.json && !values.once) throw new UsageError('--json goes with --once (the running agent writes its events to the event log)');
  const metricsFile = metricsTarget(values.metrics);
  // Installed before anything loads and kept for the life of the process: conf's exit hook
  // re-raises a signal once, which must not kill the agent halfway through an action.
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const core = openCore({ env: context.env });
  const result = await runHostAgent(core, {
    clock: core.container.resolve<Clock>(Tokens.Clock),
    once: values.once,
    signal: stop.signal,
    metricsFile,
    log: values.json ? undefined : (line) => context.stderr.write(`twinbox agent: ${line}\n`),
  });
  if (values.json) context.stdout.write(json(result));
  return 0;
}
