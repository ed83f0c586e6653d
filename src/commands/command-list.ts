import type { CommandDefinition } from './command-context.js';
import { agent } from './definitions/agent.js';
import { apps } from './definitions/apps.js';
import { completion } from './definitions/completion.js';
import { config } from './definitions/config.js';
import { dashboard } from './definitions/dashboard.js';
import { demo } from './definitions/demo.js';
import { doctor } from './definitions/doctor.js';
import { install } from './definitions/install.js';
import { keygen } from './definitions/keygen.js';
import { logs } from './definitions/logs.js';
import { menu } from './definitions/menu.js';
import { metrics } from './definitions/metrics.js';
import { open } from './definitions/open.js';
import { pack } from './definitions/pack.js';
import { plugins } from './definitions/plugins.js';
import { policy } from './definitions/policy.js';
import { publish } from './definitions/publish.js';
import { reset } from './definitions/reset.js';
import { restart } from './definitions/restart.js';
import { resume } from './definitions/resume.js';
import { run } from './definitions/run.js';
import { setup } from './definitions/setup.js';
import { snapshot } from './definitions/snapshot.js';
import { start } from './definitions/start.js';
import { status } from './definitions/status.js';
import { stop } from './definitions/stop.js';
import { suspend } from './definitions/suspend.js';
import { uninstall } from './definitions/uninstall.js';

/**
 * The commands: each defined in its own module (src/commands/definitions/NAME.ts), listed here
 * in the order the man page's reference and completion give them. `twinbox --help` (help-page.ts),
 * `twinbox help NAME`, the man page (man-page.ts), completion (command-spec.ts, complete-names.ts),
 * docs/commands.md and the README's command table (docs-page.ts) are all made from this list.
 */
const LIST: CommandDefinition[] = [
  apps, menu, run, open, publish, demo, dashboard, plugins, doctor, config, policy, pack, keygen, install,
  uninstall, setup, status, start, stop, suspend, resume, restart, reset, snapshot, agent, metrics, logs, completion,
];

export const COMMANDS: Record<string, CommandDefinition> = Object.fromEntries(LIST.map((command) => [command.name, command]));

/** Other names for commands: `twinbox ls` is `twinbox status`, `twinbox version` is `twinbox --version`. */
export const ALIASES: Record<string, string> = { ls: 'status', version: '--version' };

/** How `twinbox --help` groups the commands: the admin's journey first, then the tools. */
const HELP_GROUPS: Array<[string, string[]]> = [
  ['Try it', ['demo', 'dashboard']],
  ['Packages', ['pack', 'keygen', 'install', 'uninstall']],
  ['Workspaces', ['setup', 'status', 'start', 'stop', 'suspend', 'resume', 'restart', 'reset', 'snapshot', 'logs']],
  ['Published apps', ['menu', 'apps', 'run', 'open', 'publish']],
  ['Host agent and monitoring', ['agent', 'metrics']],
  ['Settings and this machine', ['config', 'policy', 'plugins', 'doctor', 'completion']],
];

/** The commands in their `--help` groups; commands in no group come last, under "Other". */
export function helpGroups(): Array<[string, string[]]> {
  const grouped = new Set(HELP_GROUPS.flatMap(([, names]) => names));
  const groups: Array<[string, string[]]> = [...HELP_GROUPS, ['Other', Object.keys(COMMANDS).filter((name) => !grouped.has(name))]];
  return groups.map(([title, names]): [string, string[]] => [title, names.filter((name) => COMMANDS[name])]).filter(([, names]) => names.length > 0);
}
