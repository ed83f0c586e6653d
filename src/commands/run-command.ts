import { isTwinboxError } from '../plugin-api/errors.js';
import { COMMANDS } from './table.js';
import { UsageError } from './usage-error.js';

/** Where a group of the caller is only in a directory (LDAP, SSSD), names it before any access decision. */
async function nameDirectoryGroups(): Promise<void> {
  const [{ resolveCallerGroups }, { ExecaCommandRunner }] = await Promise.all([import('../core/system/caller.js'), import('../core/process/execa-runner.js')]);
  await resolveCallerGroups(new ExecaCommandRunner());
}

/** Runs one command and turns any error into one line, a hint and the documented exit code. */
export async function runCommand(name: string, args: string[]): Promise<number> {
  const debug = args.includes('--debug');
  const json = args.includes('--json');
  const commandArgs = args.filter((arg) => arg !== '--debug');
  const entry = COMMANDS[name]!;
  if (commandArgs.includes('--help') || commandArgs.includes('-h')) {
    process.stdout.write(`${entry.help}\n`);
    return 0;
  }
  try {
    const command = await entry.load();
    await nameDirectoryGroups();
    return await command.run(commandArgs, { stdout: process.stdout, stderr: process.stderr, env: process.env });
  } catch (error) {
    if (debug) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    if (error instanceof UsageError) {
      process.stderr.write(`twinbox ${name}: ${error.message}\nhint: run \`twinbox ${name} --help\`\n`);
      return 2;
    }
    const known = isTwinboxError(error);
    const code = known ? error.code : 'internal-error';
    const message = known ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
    const hint = known ? error.hint : 'run again with --debug and report the stack trace';
    const exit = known ? error.exitCode : 1;
    if (json) {
      process.stdout.write(`${JSON.stringify({ error: { code, message, hint, exitCode: exit } })}\n`);
    } else {
      process.stderr.write(`twinbox: ${message}\n${hint ? `hint: ${hint}\n` : ''}`);
    }
    return exit;
  }
}
