/**
 * twinbox's entry point. Kept tiny on purpose: `--version` and `--help` load nothing else,
 * and each command module is imported only when it runs (plain and --json commands never
 * load Ink).
 */
import { COMMANDS, usage } from './commands/table.js';
import { runCommand } from './commands/run-command.js';
import { packageVersion } from './core/install-root.js';

const argv = process.argv.slice(2);
const [first, ...rest] = argv;

if (first === '--version' || first === '-V') {
  process.stdout.write(`${packageVersion()}\n`);
} else if (first === undefined) {
  // On a terminal, plain `twinbox` is the dashboard; piped or redirected, the status table.
  process.exitCode = await runCommand(process.stdin.isTTY && process.stdout.isTTY ? 'dashboard' : 'status', []);
} else if (first === '--help' || first === '-h' || first === 'help') {
  if (first === 'help' && rest[0] && COMMANDS[rest[0]]) {
    process.stdout.write(`${COMMANDS[rest[0]]!.help}\n`);
  } else {
    process.stdout.write(usage());
  }
} else if (/^(?:https?|file):\/\//i.test(first)) {
  // `twinbox URL` is `twinbox open URL`: programs call $BROWSER with the address alone.
  process.exitCode = await runCommand('open', argv);
} else if (!COMMANDS[first]) {
  process.stderr.write(`twinbox: unknown command "${first}"\nhint: run \`twinbox --help\` for the list of commands\n`);
  process.exitCode = 2;
} else {
  process.exitCode = await runCommand(first, rest);
}
