import { processTerminal } from '../core/apps/host-terminal.js';
import { INPUT_END_GRACE_MS, runApp } from '../core/apps/run-app.js';
import { openCore } from '../core/open-core.js';
import type { CommandContext } from './command-context.js';
import { launchedMessage } from './launched-message.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const split = args.indexOf('--');
  const own = split >= 0 ? args.slice(0, split) : args;
  const appArgs = split >= 0 ? args.slice(split + 1) : [];
  const { values, positionals } = parseCommandArgs({ args: own, options: { quiet: { type: 'boolean', short: 'q' }, 'map-paths': { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length !== 2) throw new UsageError('give a workspace and an app: twinbox run WORKSPACE APP [-- ARGS]');
  const quiet = own.includes('--quiet') || own.includes('-q');
  const mapPaths = values['map-paths'] === true;
  const result = await runApp(
    openCore({ env: context.env }),
    positionals[0]!,
    positionals[1]!,
    { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, terminal: processTerminal() },
    { args: appArgs, mapPathsFrom: mapPaths ? process.cwd() : undefined, onProgress: quiet ? undefined : (message) => context.stderr.write(`twinbox: ${message}\n`) },
  );
  if (result.inputEnded) context.stderr.write(`\r\ntwinbox: standard input ended and the app went on ${INPUT_END_GRACE_MS / 1000} s after end of file; it was hung up\n`);
  else if (result.detached) context.stderr.write('\r\ntwinbox: left the session (Ctrl-]); the app was hung up\n');
  if (result.launched) context.stderr.write(launchedMessage(result.launched));
  // Leaving with Ctrl-] is the user's choice, not a failure: 0. Otherwise the guest program's
  // exit code is ours, as with ssh; a signal death (or input ending) maps to 1.
  if (result.detached && !result.inputEnded) return 0;
  return result.exitCode ?? 1;
}
