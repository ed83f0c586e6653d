import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { checkVmId, isTwinboxError, versionSatisfies, type Availability, type Clock, type CommandRunner, type PluginLogger, type PluginPaths, type VmRef, type VmState, type VmStatus } from 'twinbox/plugin-api';
import { isMachineNotFound, toTwinboxError } from './driver/errors.js';
import { freeLoopbackPort } from './driver/loopback-port.js';
import { parseMachineReadable } from './driver/machine-readable.js';
import { machineFolder, machineOf, vmName } from './driver/names.js';
import { NOT_CREATED, statusFromInfo } from './driver/state.js';
import { INSTALL_HINT, VBoxManageDriver } from './driver/vboxmanage.js';
import { kernelModuleMissing } from './driver/version.js';
import { vmProcessId } from './driver/vm-pid.js';

export interface VirtualBoxPluginOptions {
  runner: CommandRunner;
  paths: PluginPaths;
  clock: Clock;
  logger?: PluginLogger;
  /** The host platform; tests pretend to be Windows or macOS. */
  platform?: NodeJS.Platform;
  env?: Readonly<Record<string, string | undefined>>;
  /** The host account RDP viewers log in as (the current user by default). */
  user?: string;
  /** Picks the host port of a new NAT forwarding rule (a free loopback port by default). */
  freePort?: () => Promise<number>;
}

/** What each action of the plugin works with. */
export interface VBoxContext {
  driver: VBoxManageDriver;
  runner: CommandRunner;
  clock: Clock;
  paths: PluginPaths;
  platform: NodeJS.Platform;
  logger?: PluginLogger;
  /** The host account VirtualBox's VRDE authentication (VBoxAuth) checks the password of. */
  user?: string;
  /** A TCP port free on 127.0.0.1 for a new NAT forwarding rule. */
  freePort: () => Promise<number>;
}

/** The account twinbox runs as; a process without a passwd entry (some containers) has no name to offer. */
function currentUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

export function context(options: VirtualBoxPluginOptions): VBoxContext {
  const platform = options.platform ?? process.platform;
  const driver = new VBoxManageDriver({
    runner: options.runner,
    clock: options.clock,
    paths: options.paths,
    logger: options.logger,
    platform,
    env: options.env ?? process.env,
  });
  return {
    driver,
    runner: options.runner,
    clock: options.clock,
    paths: options.paths,
    platform,
    logger: options.logger,
    user: options.user ?? currentUser(),
    freePort: options.freePort ?? freeLoopbackPort,
  };
}

const SUPPORTED = '>=6.1.0';

/** Is VirtualBox usable here, and if not, what fixes it. Runs at most `VBoxManage --version`. */
export async function detect(ctx: VBoxContext): Promise<Availability> {
  const { driver } = ctx;
  const binary = await driver.findBinary();
  if (!binary) return { usable: false, reason: `VBoxManage was not found: ${INSTALL_HINT}` };
  let version;
  try {
    version = await driver.version();
  } catch (error) {
    if (!isTwinboxError(error)) throw error;
    return { usable: false, reason: error.hint ? `${error.message}: ${error.hint}` : error.message, details: { binary } };
  }
  const details: Record<string, string> = { binary };
  if (version.revision) details.revision = version.revision;
  if (kernelModuleMissing(version)) {
    return {
      usable: false,
      reason: 'the VirtualBox kernel module (vboxdrv) is not loaded, so no VM can start: run `sudo /sbin/vboxconfig` (on Secure Boot systems, sign or enroll the module), then try again',
      version: version.version,
      details,
    };
  }
  if (!versionSatisfies(version.version, SUPPORTED)) {
    return { usable: false, reason: `VirtualBox ${version.version} is too old (6.1 or newer needed): ${INSTALL_HINT}`, version: version.version, details };
  }
  return { usable: true, reason: `VirtualBox ${version.version} (${binary})`, version: version.version, details };
}

export interface VmSnapshot {
  status: VmStatus;
  /** VirtualBox's own state name, for decisions the shared vocabulary hides (guru meditation). */
  raw?: string;
  /** Registered, but VirtualBox cannot read its settings. */
  inaccessible?: boolean;
  info: ReadonlyMap<string, string>;
}

/** States in which a VM process exists. */
const HAS_PROCESS: ReadonlySet<VmState> = new Set(['running', 'paused', 'starting', 'stopping', 'suspending']);

/**
 * VirtualBox keeps listing a VM whose settings file vanished, as "<inaccessible>". When the
 * file twinbox created is gone, the VM is gone; when it is there but unreadable, nobody knows.
 */
function inaccessible(vm: VmRef, info: ReadonlyMap<string, string>): VmSnapshot {
  const settings = join(machineFolder(vm), `${vmName(vm.id)}.vbox`);
  if (!existsSync(settings)) {
    return { status: { state: 'not-created', reason: `its settings file ${settings} is gone (VirtualBox still lists it as inaccessible)` }, inaccessible: true, info };
  }
  return { status: { state: 'unknown', reason: `VirtualBox cannot read its settings file ${settings} (inaccessible)` }, inaccessible: true, info };
}

/** Reads a VM's state; a VM VirtualBox reports as not found (and only that) is `not-created`. */
export async function readVm(ctx: VBoxContext, vm: VmRef, signal?: AbortSignal): Promise<VmSnapshot> {
  const args = ['showvminfo', machineOf(vm), '--machinereadable'];
  const outcome = await ctx.driver.attempt(args, { signal });
  if (!outcome.ok) {
    if (isMachineNotFound(outcome.failure)) return { status: NOT_CREATED, info: new Map() };
    throw toTwinboxError(outcome.failure, args);
  }
  const info = parseMachineReadable(outcome.stdout);
  if (info.get('name') === '<inaccessible>') return inaccessible(vm, info);
  const status = statusFromInfo(info);
  const logFolder = info.get('LogFldr');
  if (HAS_PROCESS.has(status.state) && logFolder) {
    const pid = vmProcessId(logFolder);
    if (pid !== undefined) status.pid = pid;
  }
  return { status, raw: info.get('VMState'), info };
}

export async function state(ctx: VBoxContext, vm: VmRef): Promise<VmStatus> {
  checkVmId(vm.id);
  return (await readVm(ctx, vm)).status;
}
