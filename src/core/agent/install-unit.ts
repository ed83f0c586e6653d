import { constants as fsConstants, existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, rmSync, accessSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { TwinboxError, writeFileAtomicSync, type CommandRunner } from '../../plugin-api/index.js';
import {
  carriedEnvironment,
  describeInstallation,
  isGeneratedUnit,
  renderAgentUnit,
  SYSTEM_UNIT_DIR,
  SYSTEM_UNIT_NAME,
  USER_UNIT_NAME,
  userUnitDir,
  type Installation,
} from './agent-unit.js';

export type UnitScope = 'user' | 'system';

export interface UnitRequest {
  scope: UnitScope;
  env: NodeJS.ProcessEnv;
  runner: CommandRunner;
  /** The package folder of this twinbox (installRoot()). */
  packageRoot: string;
  /** process.execPath. */
  nodePath: string;
  /** Extra options for the agent's command line (--metrics FILE). */
  agentArgs?: readonly string[];
  uid?: number;
  user?: string;
}

export interface InstallUnitResult {
  action: 'install-unit';
  scope: UnitScope;
  unit: string;
  /** The file was written (new or different); false when it already held exactly this unit. */
  changed: boolean;
  execStart: string[];
  environment: Record<string, string>;
  installation: Pick<Installation, 'kind' | 'root' | 'bin' | 'node' | 'description'>;
  warnings: string[];
  reloaded: boolean;
  /** What to run next to start the agent. */
  next: string;
}

export interface RemoveUnitResult {
  action: 'remove-unit';
  scope: UnitScope;
  unit: string;
  changed: boolean;
  /** Why nothing was removed, when nothing was. */
  note?: string;
  reloaded: boolean;
}

function findOnPath(program: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function scopeArgs(scope: UnitScope): string[] {
  return scope === 'user' ? ['--user'] : [];
}

interface Systemd {
  systemctl: string;
}

/** The last line systemctl wrote, for an error message. */
function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter((line) => line.trim() !== '');
  return lines.at(-1)?.trim() ?? 'no message';
}

/**
 * systemd is here when systemctl is on PATH and answers for the scope's manager: the user's
 * own manager (`systemctl --user`, reached through XDG_RUNTIME_DIR) or PID 1. Otherwise a
 * TwinboxError (exit 1) says which piece is missing; `what` names what was not done.
 */
async function reachSystemd(request: UnitRequest, what: string): Promise<Systemd> {
  const systemctl = findOnPath('systemctl', request.env);
  if (!systemctl) {
    throw new TwinboxError('no-systemd', `systemd is not here: systemctl is not on PATH, so ${what}`, {
      hint: 'run twinbox agent in the foreground under the service manager this host has (or from your session\'s autostart)',
    });
  }
  if (request.scope === 'system' && !existsSync('/run/systemd/system')) {
    throw new TwinboxError('no-systemd', `systemd is not this host's init system (no /run/systemd/system), so ${what}`, {
      hint: "run twinbox agent for each user under the service manager this host has",
    });
  }
  const probe = await request.runner.run(systemctl, [...scopeArgs(request.scope), 'show', '--property=Version', '--value'], { env: request.env, timeoutMs: 15_000 });
  if (probe.exitCode !== 0) {
    const who = request.user ?? 'this user';
    throw new TwinboxError(
      'no-systemd-manager',
      request.scope === 'user'
        ? `no systemd user manager is reachable for ${who} (systemctl --user: ${lastLine(probe.stderr)}), so ${what}`
        : `the systemd system manager does not answer (systemctl: ${lastLine(probe.stderr)}), so ${what}`,
      {
        hint:
          request.scope === 'user'
            ? `log in through a session that starts one (pam_systemd), or have root run loginctl enable-linger ${request.user ?? '$USER'} and log in again; then run this again`
            : 'check systemctl status, then run this again',
      },
    );
  }
  return { systemctl };
}

async function systemctl(systemd: Systemd, request: UnitRequest, args: string[]): Promise<void> {
  const result = await request.runner.run(systemd.systemctl, [...scopeArgs(request.scope), ...args], { env: request.env, timeoutMs: 60_000 });
  if (result.exitCode !== 0) {
    throw new TwinboxError('systemctl-failed', `systemctl ${[...scopeArgs(request.scope), ...args].join(' ')} failed (exit ${result.exitCode}): ${lastLine(result.stderr)}`, {
      hint: 'see journalctl for the manager\'s own message, then run this again',
    });
  }
}

function unitPath(request: UnitRequest): string {
  return request.scope === 'system' ? join(SYSTEM_UNIT_DIR, SYSTEM_UNIT_NAME) : join(userUnitDir(request.env), USER_UNIT_NAME);
}

function refuseUnlessRoot(request: UnitRequest, what: string): void {
  if (request.scope === 'system' && (request.uid ?? process.getuid?.() ?? 0) !== 0) {
    throw new TwinboxError('unit-not-admin', `only root can ${what} the system unit ${join(SYSTEM_UNIT_DIR, SYSTEM_UNIT_NAME)}`, {
      exit: 'denied',
      hint: `run it as root (sudo twinbox agent --${what}-unit --system), or drop --system for your own user unit`,
    });
  }
}

function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function notOurs(file: string, doing: string, scope: UnitScope): TwinboxError {
  const systemctl = scope === 'user' ? 'systemctl --user' : 'systemctl';
  return new TwinboxError('unit-not-generated', `${file} was not written by twinbox agent --install-unit (its first line says otherwise), so it was left as it is and nothing was ${doing}`, {
    hint: `if it is a copy of contrib/systemd/twinbox-agent.service, remove it yourself (${systemctl} disable --now twinbox-agent; rm ${file}), then run this again`,
  });
}

/** The unit for this installation: what would be written, without writing it. */
export function planAgentUnit(request: UnitRequest): { unit: string; text: string; installation: Installation; execStart: string[]; environment: Record<string, string> } {
  const installation = describeInstallation(request.packageRoot, request.nodePath);
  const execStart = [installation.node, installation.bin, 'agent', ...(request.agentArgs ?? [])];
  const environment = carriedEnvironment(request.env);
  const text = renderAgentUnit({ kind: request.scope, execStart, environment, installation: installation.description });
  return { unit: unitPath(request), text, installation, execStart, environment };
}

/** A unit file is written atomically (`writeFileAtomicSync`), readable by all (0644), in a folder made 0755 when missing. */
const UNIT_FILE = { mode: 0o644, dirMode: 0o755 };

/**
 * `twinbox agent --install-unit`: systemd first (without it nothing is written), then the unit
 * (unchanged when it already says exactly this), then daemon-reload. A unit someone else wrote
 * is never replaced. A failed reload puts the previous file back.
 */
export async function installAgentUnit(request: UnitRequest): Promise<InstallUnitResult> {
  refuseUnlessRoot(request, 'install');
  const plan = planAgentUnit(request);
  const before = readIfThere(plan.unit);
  if (before !== undefined && !isGeneratedUnit(before)) throw notOurs(plan.unit, 'written', request.scope);
  const systemd = await reachSystemd(request, 'no unit was written');
  const changed = before !== plan.text;
  if (changed) {
    writeFileAtomicSync(plan.unit, plan.text, UNIT_FILE);
    try {
      await systemctl(systemd, request, ['daemon-reload']);
    } catch (error) {
      if (before === undefined) rmSync(plan.unit, { force: true });
      else writeFileAtomicSync(plan.unit, before, UNIT_FILE);
      throw error;
    }
  }
  const next = request.scope === 'system' ? 'systemctl enable --now twinbox-agent@USER' : `systemctl --user ${before === undefined ? 'enable --now' : 'restart'} twinbox-agent`;
  const { kind, root, bin, node, description } = plan.installation;
  return {
    action: 'install-unit',
    scope: request.scope,
    unit: plan.unit,
    changed,
    execStart: plan.execStart,
    environment: plan.environment,
    installation: { kind, root, bin, node, description },
    warnings: plan.installation.warnings,
    reloaded: changed,
    next,
  };
}

/** The instances of the system template unit that are enabled (`twinbox-agent@alice.service`). */
function enabledInstances(): string[] {
  try {
    const names = readdirSync(join(SYSTEM_UNIT_DIR, 'multi-user.target.wants')).filter((name) => /^twinbox-agent@.+\.service$/.test(name));
    return names;
  } catch {
    return [];
  }
}

/** The `default.target.wants` link `systemctl enable` made, when it points at `unit`. */
function removeWantsLink(unit: string, dir: string): void {
  const link = join(dir, 'default.target.wants', USER_UNIT_NAME);
  try {
    if (lstatSync(link).isSymbolicLink() && resolve(join(dir, 'default.target.wants'), readlinkSync(link)) === unit) rmSync(link);
  } catch {
    // no link
  }
}

/**
 * `twinbox agent --remove-unit`: only a unit twinbox wrote. With systemd reachable it is
 * disabled and stopped first (the agent stops; the VMs it started keep running); without, the
 * file and its enable link go and there is nothing to reload.
 */
export async function removeAgentUnit(request: UnitRequest): Promise<RemoveUnitResult> {
  refuseUnlessRoot(request, 'remove');
  const unit = unitPath(request);
  const before = readIfThere(unit);
  if (before === undefined) return { action: 'remove-unit', scope: request.scope, unit, changed: false, note: 'there is no unit to remove', reloaded: false };
  if (!isGeneratedUnit(before)) throw notOurs(unit, 'removed', request.scope);
  let systemd: Systemd | undefined;
  try {
    systemd = await reachSystemd(request, 'nothing was reloaded');
  } catch {
    systemd = undefined;
  }
  const units = request.scope === 'user' ? [USER_UNIT_NAME] : enabledInstances();
  if (systemd && units.length > 0) await systemctl(systemd, request, ['disable', '--now', ...units]);
  rmSync(unit);
  if (request.scope === 'user') removeWantsLink(unit, userUnitDir(request.env));
  if (systemd) await systemctl(systemd, request, ['daemon-reload']);
  return {
    action: 'remove-unit',
    scope: request.scope,
    unit,
    changed: true,
    reloaded: systemd !== undefined,
    ...(systemd ? {} : { note: 'no systemd manager was reachable: nothing to stop or reload' }),
  };
}
