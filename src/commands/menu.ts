import { menuEntries } from '../core/apps/menu-entries.js';
import { openCore } from '../core/open-core.js';
import { TwinboxError } from '../plugin-api/index.js';
import type { CommandContext } from './command-context.js';
import { json, table } from './format.js';
import { refuseDumbTerminal } from './terminal-checks.js';
import { parseCommandArgs } from './usage-error.js';

/**
 * The end-user app menu. Safe as an SSH forced command or login shell: it takes no command from
 * SSH_ORIGINAL_COMMAND, offers no shell and no admin action, and never stops a workspace.
 */
export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseCommandArgs({ args, options: { list: { type: 'boolean' }, json: { type: 'boolean' } } });
  const core = openCore({ env: context.env });
  if (values.list || values.json) {
    const entries = await menuEntries(core);
    if (values.json) {
      context.stdout.write(
        json(entries.map(({ workspace, category, group, app, uses, helpUrl }) => ({ workspace, category: category ?? null, group, id: app.id, name: app.name, kind: app.kind, uses, helpUrl: helpUrl ?? null }))),
      );
    } else if (entries.length === 0) {
      context.stdout.write('no published apps yet: they appear once a workspace you may use has been set up\n');
    } else {
      context.stdout.write(table(['GROUP', 'ID', 'NAME', 'KIND', 'USES'], entries.map((entry) => [entry.group, entry.app.id, entry.app.name, entry.app.kind, String(entry.uses)])));
    }
    return 0;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new TwinboxError('menu-needs-terminal', 'twinbox menu needs an interactive terminal, and stdin or stdout is not one', {
      hint: 'over SSH connect with `ssh -t`; in scripts use `twinbox menu --list [--json]`',
      exit: 'usage',
    });
  }
  refuseDumbTerminal(context.env, 'the menu', '`twinbox menu --list` lists the apps as plain text');
  // Ink loads only here: --list and --json print without it.
  const { runMenu } = await import('../ui/menu/run-menu.js');
  const left = await runMenu({ core, env: context.env });
  // Left while a workspace was starting for a launch: waiting for it would keep this process
  // (and then run the app for nobody). Leave now, as Ctrl-C during `twinbox start` does; the VM
  // goes on as far as it got, and its lock is recovered as a dead process's.
  if (left.launchInFlight) process.exit(left.exitCode);
  return left.exitCode;
}
