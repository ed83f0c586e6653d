import type { Socket } from 'node:net';
import { isTwinboxError, type Availability, type Clock, type CommandRunner, type PluginLogger, type VmRef, type VmStatus } from 'twinbox/plugin-api';
import { isVmNotFound, toTwinboxError } from './driver/errors.js';
import { recordedVmId } from './driver/names.js';
import { hostKind, type HostKind } from './driver/platform.js';
import { HyperVDriver, POWERSHELL_HINT } from './driver/powershell.js';
import { NOT_CREATED, statusFromInfo, type HyperVVmInfo } from './driver/state.js';
import { DETECT_SCRIPT } from './scripts/detect.js';
import { vmInfoScript } from './scripts/vm-info.js';

export interface HyperVPluginOptions {
  runner: CommandRunner;
  clock: Clock;
  logger?: PluginLogger;
  /** Where twinbox runs; detected from the platform and environment when absent. */
  host?: HostKind;
  /** Close the PowerShell host after this long without commands (0: never). */
  idleMs?: number;
  /** Default time limit of one PowerShell command. */
  commandTimeoutMs?: number;
  /** Opens a COM port's named pipe (`net.connect` by default; tests serve the pipe from a local socket). */
  openPipe?: PipeOpener;
}

/** How a named pipe is opened: `net.connect`, which takes `\\.\pipe\…` paths on Windows. */
export type PipeOpener = (pipe: string) => Socket;

/** What each action of the plugin works with. */
export interface HyperVContext {
  driver: HyperVDriver;
  runner: CommandRunner;
  clock: Clock;
  host: HostKind;
  logger?: PluginLogger;
  openPipe?: PipeOpener;
}

export function context(options: HyperVPluginOptions): HyperVContext {
  const driver = new HyperVDriver({
    runner: options.runner,
    logger: options.logger,
    // Long enough for a burst of commands (a status screen refreshes every 500 ms), short
    // enough that a finished command-line run is not kept alive for long.
    idleMs: options.idleMs ?? 2000,
    commandTimeoutMs: options.commandTimeoutMs ?? 120_000,
  });
  return { driver, runner: options.runner, clock: options.clock, host: options.host ?? hostKind(process.platform, process.env), logger: options.logger, openPipe: options.openPipe };
}

interface HostFacts {
  PSVersion?: string;
  ModuleVersion?: string | null;
  VmmsStatus?: string | null;
  IsAdmin?: boolean;
  IsHyperVAdmin?: boolean;
  User?: string;
}

/** Is Hyper-V usable from here, and if not, the one thing to fix first. */
export async function detect(ctx: HyperVContext): Promise<Availability> {
  const { driver, host } = ctx;
  if (host === 'other') {
    return { usable: false, reason: 'Hyper-V runs only on Windows (10/11 Pro, Enterprise, Education or Server), or from WSL on such a host' };
  }
  const executable = await driver.findPowerShell();
  if (!executable) return { usable: false, reason: `PowerShell was not found (powershell.exe or pwsh): ${POWERSHELL_HINT}` };
  let facts: HostFacts;
  try {
    facts = ((await driver.invoke(DETECT_SCRIPT, { action: 'inspect the host', timeoutMs: 30_000 })) ?? {}) as HostFacts;
  } catch (error) {
    if (!isTwinboxError(error)) throw error;
    return { usable: false, reason: `PowerShell (${executable}) did not answer: ${error.message}`, details: { powershell: executable } };
  }
  const details: Record<string, string> = { powershell: executable };
  if (facts.PSVersion) details.powershellVersion = facts.PSVersion;
  if (facts.User) details.user = facts.User;
  if (host === 'wsl') details.channels = 'unavailable from WSL (Windows named pipes)';
  if (!facts.VmmsStatus) {
    return {
      usable: false,
      reason:
        'the Hyper-V feature is not enabled: run `Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V -All` in an administrator PowerShell and restart Windows (Windows Home has no Hyper-V)',
      details,
    };
  }
  if (!facts.ModuleVersion) {
    return {
      usable: false,
      reason:
        'the Hyper-V PowerShell module is missing: run `Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V-Management-PowerShell` in an administrator PowerShell',
      details,
    };
  }
  const version = facts.ModuleVersion;
  if (facts.VmmsStatus !== 'Running') {
    return {
      usable: false,
      reason: `the Hyper-V Virtual Machine Management service (vmms) is ${facts.VmmsStatus}: run \`Start-Service vmms\` in an administrator PowerShell`,
      version,
      details,
    };
  }
  if (!facts.IsAdmin && !facts.IsHyperVAdmin) {
    const who = facts.User ?? 'this user';
    return {
      usable: false,
      reason: `${who} is neither running as administrator nor a member of "Hyper-V Administrators": run \`Add-LocalGroupMember -SID S-1-5-32-578 -Member '${who}'\` in an administrator PowerShell, then sign out and in again (or run twinbox as administrator)`,
      version,
      details,
    };
  }
  details.rights = facts.IsAdmin ? 'administrator' : 'Hyper-V Administrators';
  return { usable: true, reason: `Hyper-V (module ${version}, PowerShell ${facts.PSVersion ?? '?'}${host === 'wsl' ? ', from WSL' : ''})`, version, details };
}

export interface VmSnapshot {
  status: VmStatus;
  /** Hyper-V's own state name. */
  raw?: string;
  /** The VM's name now (the user may have renamed it in Hyper-V Manager). */
  name?: string;
}

/** Reads a VM's state; only the lookup's "no such VM" (never an empty answer without rights) is `not-created`. */
export async function readVm(ctx: HyperVContext, vm: VmRef): Promise<VmSnapshot> {
  const vmId = recordedVmId(vm);
  if (!vmId) return { status: { state: 'not-created', reason: 'it was never created in Hyper-V' } };
  const envelope = await ctx.driver.attempt(vmInfoScript(vmId), { action: 'read the VM state' });
  if (!envelope.ok) {
    if (isVmNotFound(envelope)) return { status: NOT_CREATED };
    throw toTwinboxError(envelope, 'read the VM state');
  }
  const info = (typeof envelope.value === 'object' && envelope.value !== null ? envelope.value : {}) as HyperVVmInfo & { ProcessId?: unknown; Name?: unknown };
  const status = statusFromInfo(info);
  // A Windows process id means nothing inside WSL, where it would name another process.
  if (ctx.host === 'windows' && typeof info.ProcessId === 'number' && info.ProcessId > 0) status.pid = info.ProcessId;
  return { status, raw: typeof info.State === 'string' ? info.State : undefined, name: typeof info.Name === 'string' && info.Name !== '' ? info.Name : undefined };
}

export async function state(ctx: HyperVContext, vm: VmRef): Promise<VmStatus> {
  return (await readVm(ctx, vm)).status;
}
