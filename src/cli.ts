/**
 * twinbox's entry point. Kept tiny on purpose: `--version` and `--help` load nothing else,
 * and each command module is imported only when it runs (plain and --json commands never
 * load Ink).
 */
import { ALIASES, COMMANDS } from './commands/command-list.js';
import { usage } from './commands/help-page.js';
import { endQuietlyOnClosedPipe, ownArgs, printUsageError, runCommand } from './commands/run-command.js';
import { didYouMean } from './commands/usage-error.js';
import { runRemote, takeHostOption } from './commands/remote.js';
import { packageVersion } from './core/install-root.js';

endQuietlyOnClosedPipe();

const host = takeHostOption(process.argv.slice(2), process.env);
if (host.missing) {
  process.exitCode = printUsageError('--host needs an address', 'write it as --host ssh://[user@]host[:port]', ownArgs(host.argv).includes('--json'));
} else if (host.address !== undefined && host.argv.find((arg) => arg !== '--debug') !== 'dashboard') {
  process.exitCode = await runRemote(host.address, host.argv, process.env);
} else {
  // The dashboard reads --host itself: it streams that host's workspaces here (`dashboard --host NAME|ssh://…`).
  await runHere(host.address !== undefined ? [...host.argv, `--host=${host.address}`] : host.argv);
}

async function runHere(argv: string[]): Promise<void> {
  // Global options may come before the command (`twinbox --debug status`); runCommand reads them anywhere.
  const globals: string[] = [];
  while (argv[0] === '--debug') globals.push(argv.shift()!);
  const [typed, ...rest] = argv;
  const first = typed !== undefined && Object.hasOwn(ALIASES, typed) ? ALIASES[typed] : typed;
  const json = ownArgs(argv).includes('--json');

  /** Every name a user may type as the command: did-you-mean picks from these. */
  function knownNames(): string[] {
    return [...Object.keys(COMMANDS), ...Object.keys(ALIASES), 'help'];
  }

  function unknown(what: 'command' | 'option', name: string): number {
    const suggestion = what === 'command' ? didYouMean(name, knownNames()) : undefined;
    return printUsageError(`unknown ${what} "${name}"`, `${suggestion ? `${suggestion} ` : ''}run \`twinbox --help\` for the list of commands`, json);
  }

  if (first === '--version' || first === '-V') {
    process.stdout.write(`${packageVersion()}\n`);
  } else if (first === undefined) {
    // On a terminal, plain `twinbox` is the dashboard; piped or redirected, the status table.
    process.exitCode = await runCommand(process.stdin.isTTY && process.stdout.isTTY ? 'dashboard' : 'status', globals);
  } else if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0] !== undefined && Object.hasOwn(ALIASES, rest[0]) ? ALIASES[rest[0]] : rest[0];
    if (topic === undefined || topic === 'help' || topic.startsWith('-')) {
      process.stdout.write(usage());
    } else if (Object.hasOwn(COMMANDS, topic)) {
      process.stdout.write(`${COMMANDS[topic]!.help}\n`);
    } else {
      process.exitCode = unknown('command', topic);
    }
  } else if (first === '__complete') {
    // Called back by the completion scripts when Tab is pressed: reads files only, prints names.
    const { completeNames } = await import('./commands/complete-names.js');
    process.exitCode = await completeNames(rest, process.env, process.stdout);
  } else if (/^(?:https?|file):\/\//i.test(first)) {
    // `twinbox URL` is `twinbox open URL`: programs call $BROWSER with the address alone.
    process.exitCode = await runCommand('open', [...globals, ...argv]);
  } else if (!Object.hasOwn(COMMANDS, first)) {
    process.exitCode = unknown(first.startsWith('-') ? 'option' : 'command', first);
  } else {
    process.exitCode = await runCommand(first, [...globals, ...rest]);
  }
}
