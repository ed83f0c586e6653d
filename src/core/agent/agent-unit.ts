import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { TwinboxError } from '../../plugin-api/index.js';

/**
 * The host agent's systemd unit, from one template: the copy shipped in
 * contrib/systemd/twinbox-agent.service (for installing by hand) and the units
 * `twinbox agent --install-unit` writes for this installation. A test compares the shipped
 * file with `renderAgentUnit({ kind: 'contrib' })`, so the two cannot drift apart.
 */

export const USER_UNIT_NAME = 'twinbox-agent.service';
/** A template unit: `systemctl enable --now twinbox-agent@alice` runs alice's agent. */
export const SYSTEM_UNIT_NAME = 'twinbox-agent@.service';
export const SYSTEM_UNIT_DIR = '/etc/systemd/system';

/** The first line of every unit twinbox writes: `--remove-unit` removes only files that start with it. */
export const GENERATED_MARKER = '# Written by `twinbox agent --install-unit`; `twinbox agent --remove-unit` removes it.';

/** The settings that relocate twinbox, carried into a generated unit so the agent sees what the installer saw. */
export const CARRIED_VARIABLES = ['TWINBOX_HOME', 'TWINBOX_POLICY_DIR', 'TWINBOX_SYSTEM_DIR'] as const;

export type UnitKind = 'contrib' | 'user' | 'system';

export interface UnitOptions {
  kind: UnitKind;
  /** The agent's command line (generated units): absolute node, absolute bin/twinbox.js, `agent`, options. */
  execStart?: readonly string[];
  environment?: Readonly<Record<string, string>>;
  /** One line saying which installation the unit runs (generated units). */
  installation?: string;
}

function refuseControl(value: string, what: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new TwinboxError('unit-bad-path', `${what} holds a control character (${JSON.stringify(value)}), which a systemd unit cannot carry`, {
      hint: 'install twinbox (and node) under a path without control characters, then run this again',
    });
  }
}

/** Specifiers (`%`) are doubled, as systemd.unit(5) requires for a literal percent sign. */
function quoted(value: string): string {
  return `"${value.replace(/%/g, '%%').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * One word of an ExecStart= line (systemd.service(5), "Command lines"): `%` is doubled
 * (specifiers), and `$` too in arguments (variable expansion; the program's own path is taken
 * literally, as systemd 252 does); anything but plain path characters is quoted. systemd refuses
 * quotes and backslashes in the program's path ("Executable name contains special characters").
 */
export function execWord(word: string, executable = false): string {
  refuseControl(word, `the argument ${JSON.stringify(word)}`);
  if (executable && /["'\\]/.test(word)) {
    throw new TwinboxError('unit-bad-path', `the program ${word} has a quote or a backslash in its path, which systemd does not accept in ExecStart=`, {
      hint: 'install node (and twinbox) under a path without quotes or backslashes, then run this again',
    });
  }
  const literal = executable ? word : word.replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_@+=:,./-]+$/.test(literal) ? literal : quoted(literal);
}

/** An Environment= assignment; systemd expands no variables there, only specifiers. */
export function environmentAssignment(name: string, value: string): string {
  refuseControl(value, name);
  const assignment = `${name}=${value}`;
  return /^[A-Za-z0-9_@+=:,./-]+$/.test(assignment) ? assignment : quoted(assignment);
}

export function renderAgentUnit(options: UnitOptions): string {
  const { kind } = options;
  const lines: string[] = [];
  if (kind === 'contrib') {
    lines.push(
      '# The twinbox host agent, one per user, started at logon. `twinbox agent --install-unit` writes',
      "# this unit with the full paths of this installation's node and twinbox and reloads systemd;",
      '# to install it by hand instead:',
      '#   mkdir -p ~/.config/systemd/user',
      '#   cp twinbox-agent.service ~/.config/systemd/user/    (or /etc/systemd/user/ for every user)',
      '#   systemctl --user daemon-reload',
      '#   systemctl --user enable --now twinbox-agent',
      '#   journalctl --user -u twinbox-agent                  (what it does)',
      '# Made from the template in src/core/agent/agent-unit.ts; a test keeps the two the same.',
    );
  } else {
    if (!options.execStart || options.execStart.length === 0) throw new Error('a generated unit needs its ExecStart');
    lines.push(GENERATED_MARKER, `# It runs ${options.installation ?? 'this installation of twinbox'}.`);
    lines.push(
      kind === 'system'
        ? '# One agent per user: systemctl enable --now twinbox-agent@USER; journalctl -u twinbox-agent@USER'
        : '# systemctl --user enable --now twinbox-agent; journalctl --user -u twinbox-agent',
    );
  }
  lines.push('[Unit]');
  lines.push(kind === 'system' ? 'Description=twinbox host agent of %i (starts, parks and watches twinbox workspaces)' : 'Description=twinbox host agent (starts, parks and watches twinbox workspaces)');
  lines.push('', '[Service]', 'Type=exec');
  if (kind === 'system') lines.push('User=%i');
  if (kind === 'contrib') {
    lines.push(
      '# The agent runs in the foreground. Put the full path of twinbox here if it is not on the',
      "# user manager's PATH; add --metrics FILE to write Prometheus metrics for node_exporter.",
      'ExecStart=/usr/bin/env twinbox agent',
    );
  } else {
    lines.push('# The agent runs in the foreground.', `ExecStart=${options.execStart!.map((word, index) => execWord(word, index === 0)).join(' ')}`);
    for (const [name, value] of Object.entries(options.environment ?? {})) lines.push(`Environment=${environmentAssignment(name, value)}`);
  }
  lines.push(
    'Restart=on-failure',
    'RestartSec=5',
    '# 75: another agent already runs for this user; starting again cannot help.',
    'RestartPreventExitStatus=75',
    "# Stop only the agent: the VMs it started at logon live in this unit's control group too and",
    '# must keep running when the agent stops.',
    'KillMode=process',
    'TimeoutStopSec=120',
    '',
    '[Install]',
    kind === 'system' ? 'WantedBy=multi-user.target' : 'WantedBy=default.target',
  );
  return `${lines.join('\n')}\n`;
}

export function isGeneratedUnit(text: string): boolean {
  return text.split('\n', 1)[0] === GENERATED_MARKER;
}

export type InstallationKind = 'npm-prefix' | 'node-modules' | 'npx-cache' | 'repository' | 'folder';

export interface Installation {
  kind: InstallationKind;
  /** The package folder (holding package.json and bin/twinbox.js), symbolic links resolved. */
  root: string;
  bin: string;
  node: string;
  /** What the unit runs, in words. */
  description: string;
  warnings: string[];
}

const NPX_CACHE = `${sep}_npx${sep}`;

/** Which kind of installation `root` is: npm's global prefix, a project's node_modules, npx's cache or a checkout. */
export function describeInstallation(packageRoot: string, nodePath: string): Installation {
  const root = realpathSync(packageRoot);
  const bin = join(root, 'bin', 'twinbox.js');
  const node = realpathSync(nodePath);
  const warnings: string[] = [];
  let kind: InstallationKind;
  let description: string;
  if (root.includes(NPX_CACHE)) {
    kind = 'npx-cache';
    description = `twinbox from npx's cache (${root})`;
    warnings.push(`this twinbox runs from npx's cache (${root}), which npm may clear at any time: the unit would then fail to start; install twinbox (npm install -g twinbox) and run twinbox agent --install-unit again`);
  } else if (basename(dirname(root)) === 'node_modules') {
    const modules = dirname(root);
    const above = dirname(modules);
    if (basename(above) === 'lib') {
      kind = 'npm-prefix';
      description = `twinbox installed in the npm prefix ${dirname(above)} (${root})`;
    } else {
      kind = 'node-modules';
      description = `twinbox from the node_modules of ${above} (${root})`;
    }
  } else if (existsSync(join(root, '.git')) || existsSync(join(root, 'src'))) {
    kind = 'repository';
    description = `twinbox built in the repository checkout ${root} (run npm run build there after pulling)`;
  } else {
    kind = 'folder';
    description = `twinbox in ${root}`;
  }
  if (node.includes(NPX_CACHE)) {
    warnings.push(`node runs from npx's cache (${node}), which npm may clear at any time: run twinbox agent --install-unit with an installed node`);
  }
  return { kind, root, bin, node, description, warnings };
}

/** Where the user unit goes: the first folder of systemd's user unit search path, $XDG_CONFIG_HOME/systemd/user. */
export function userUnitDir(env: NodeJS.ProcessEnv): string {
  const config = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : env.HOME ? join(env.HOME, '.config') : undefined;
  if (!config) {
    throw new TwinboxError('unit-no-home', 'neither XDG_CONFIG_HOME nor HOME is set, so there is no folder for a systemd user unit', {
      exit: 'usage',
      hint: 'set HOME (or XDG_CONFIG_HOME) and run this again',
    });
  }
  return join(config, 'systemd', 'user');
}

/** The relocating settings of `env` that are set, for Environment= lines. */
export function carriedEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const carried: Record<string, string> = {};
  for (const name of CARRIED_VARIABLES) {
    const value = env[name];
    if (value) carried[name] = resolve(value);
  }
  return carried;
}
