import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Tokens, type Clock } from '../plugin-api/index.js';
import { runHostAgent } from '../core/agent/run-agent.js';
import { installAgentUnit, removeAgentUnit, type InstallUnitResult, type RemoveUnitResult } from '../core/agent/install-unit.js';
import { installRoot } from '../core/install-root.js';
import { ExecaCommandRunner } from '../core/process/execa-runner.js';
import { currentCaller } from '../core/system/caller.js';
import { openCore } from '../core/open-core.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
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
    options: {
      once: { type: 'boolean' },
      metrics: { type: 'string' },
      json: { type: 'boolean' },
      'install-unit': { type: 'boolean' },
      'remove-unit': { type: 'boolean' },
      system: { type: 'boolean' },
    },
  });
  if (positionals.length > 0) throw new UsageError('the agent takes no arguments: it looks after every workspace of this user');
  if (values['install-unit'] || values['remove-unit']) return unit(values, context);
  if (values.system) throw new UsageError('--system goes with --install-unit or --remove-unit (the agent itself always runs for one user)');
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

interface UnitValues {
  once?: boolean;
  metrics?: string;
  json?: boolean;
  'install-unit'?: boolean;
  'remove-unit'?: boolean;
  system?: boolean;
}

function unitReport(result: InstallUnitResult | RemoveUnitResult): string {
  if (result.action === 'remove-unit') {
    if (!result.changed) return `no unit to remove: ${result.unit} does not exist\n`;
    return `removed ${result.unit}${result.reloaded ? ' (disabled, stopped and systemd reloaded)' : `; ${result.note}`}\n`;
  }
  const lines = [
    result.changed ? `wrote ${result.unit} and reloaded systemd` : `${result.unit} is up to date (nothing written)`,
    `  runs:  ${result.installation.description}`,
    `  next:  ${result.next}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `--install-unit` / `--remove-unit`: the agent's systemd unit for this installation. */
async function unit(values: UnitValues, context: CommandContext): Promise<number> {
  if (values['install-unit'] && values['remove-unit']) throw new UsageError('give --install-unit or --remove-unit, not both');
  if (values.once) throw new UsageError('--once does not go with --install-unit or --remove-unit');
  if (values.metrics !== undefined && values['remove-unit']) throw new UsageError('--metrics goes with --install-unit (it is written into the unit\'s command line)');
  const metricsFile = metricsTarget(values.metrics);
  const caller = currentCaller();
  const request = {
    scope: values.system ? ('system' as const) : ('user' as const),
    env: context.env,
    runner: new ExecaCommandRunner(),
    packageRoot: installRoot(),
    nodePath: process.execPath,
    agentArgs: metricsFile ? ['--metrics', metricsFile] : [],
    uid: caller.uid,
    user: caller.user,
  };
  const result = values['install-unit'] ? await installAgentUnit(request) : await removeAgentUnit(request);
  if (result.action === 'install-unit') for (const warning of result.warnings) context.stderr.write(`warning: ${warning}\n`);
  context.stdout.write(values.json ? json(result) : unitReport(result));
  return 0;
}
