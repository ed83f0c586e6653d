import { openCore } from '../core/open-core.js';
import { explainOpen, openRedirected } from '../core/redirection/open-redirected.js';
import type { Route } from '../core/redirection/route.js';
import type { CommandContext } from './command-context.js';
import { processTerminal } from '../core/apps/host-terminal.js';
import { json, table } from './format.js';
import { launchedJson, launchedMessage } from './launched-message.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

function destination(route: Route): string {
  if (route.destination === 'host') return "the host's usual opener";
  if (route.kind === 'file') return `workspace "${route.workspace}", app "${route.app}"${route.guestPath ? ` as ${route.guestPath}` : ''}`;
  return `workspace "${route.workspace}" (the guest's browser)`;
}

function explanation(route: Route): string {
  const lines = [route.target, `  opens in: ${destination(route)}`, `  because:  ${route.reason}`];
  if (route.blocked) lines.push(`  but:      ${route.blocked.message}`, `            hint: ${route.blocked.hint}`);
  if (route.considered.length > 0) {
    const rows = route.considered.map((rule) => [rule.matched ? 'match' : '-', rule.workspace, rule.source, rule.rule, rule.reason]);
    lines.push('  rules:', ...table(['', 'WORKSPACE', 'SOURCE', 'RULE', 'WHY'], rows).trimEnd().split('\n').map((line) => `    ${line}`));
  }
  for (const problem of route.problems) lines.push(`  problem:  ${problem}`);
  return `${lines.join('\n')}\n`;
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { explain: { type: 'boolean' }, json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give a web address or a file to open' : 'give one web address or file');
  const core = openCore({ env: context.env });
  const cwd = process.cwd();
  if (values.explain) {
    const route = await explainOpen(core, positionals[0]!, cwd);
    context.stdout.write(values.json ? json(route) : explanation(route));
    return 0;
  }
  const result = await openRedirected(core, positionals[0]!, {
    cwd,
    selfPaths: process.argv[1] ? [process.argv[1]] : [],
    io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, terminal: processTerminal() },
    onProgress: values.quiet || values.json ? undefined : (message) => context.stderr.write(`twinbox: ${message}\n`),
  });
  const { route } = result;
  if (values.json) {
    context.stdout.write(json({ destination: route.destination, workspace: route.workspace, app: route.app, guestPath: route.guestPath, rule: route.rule, reason: route.reason, via: result.via, pid: result.pid ?? result.launched?.pid, exitCode: result.exitCode, display: result.launched?.via === 'screen' ? result.launched.display : undefined, window: result.launched ? launchedJson(result.launched) : undefined }));
  } else if (!values.quiet) {
    if (route.destination === 'host') context.stderr.write(`twinbox: opened on the host with ${result.via}\n`);
    else if (route.kind === 'web') context.stderr.write(`twinbox: opened in the browser of workspace "${route.workspace}" (its window is on the guest's display)\n`);
  }
  if (result.launched && !values.json) context.stderr.write(launchedMessage(result.launched));
  for (const problem of route.problems) context.stderr.write(`twinbox: warning: ${problem}\n`);
  // A file's app ran: its exit code is ours, as with `twinbox run` (a signal death maps to 1).
  return result.exitCode === undefined ? 0 : (result.exitCode ?? 1);
}
