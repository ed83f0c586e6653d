import { join as posixJoin } from 'node:path/posix';
import { join as windowsJoin } from 'node:path/win32';
import {
  isTwinboxError,
  TwinboxError,
  type Clock,
  type CommandResult,
  type CommandRunner,
  type PluginLogger,
  type PluginPaths,
  type VmRef,
} from 'twinbox/plugin-api';
import { isTransient, parseFailure, reportsError, toTwinboxError, type VBoxFailure } from './errors.js';
import { machineOf } from './names.js';
import { cachedVersion, parseVersion, type VBoxVersion } from './version.js';

export interface DriverDeps {
  runner: CommandRunner;
  clock: Clock;
  paths: PluginPaths;
  logger?: PluginLogger;
  platform: NodeJS.Platform;
  /** Where the VirtualBox installer's variables are read (VBOX_MSI_INSTALL_PATH). */
  env: Readonly<Record<string, string | undefined>>;
}

export interface ExecOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type ExecOutcome = { ok: true; stdout: string } | { ok: false; failure: VBoxFailure };

export const INSTALL_HINT = 'install VirtualBox 7 from virtualbox.org; VBoxManage must be on PATH';
// VBoxManage's messages are parsed; translated ones would not match.
export const VBOX_ENV = { LANG: 'C', LC_ALL: 'C' } as const;
export const MAX_ATTEMPTS = 3;
export const RETRY_DELAY_MS = 1000;
const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_START_TIMEOUT_MS = 120_000;

function missing(): TwinboxError {
  return new TwinboxError('virtualbox-missing', 'VBoxManage was not found', { hint: INSTALL_HINT });
}

/**
 * Talks to VirtualBox through `VBoxManage`: one place for the locale, error detection (exit
 * code and `VBoxManage: error:` text), bounded retries of lock conflicts, timeouts and the
 * cached version.
 */
export class VBoxManageDriver {
  private binaryPath?: string;
  private versionRead?: Promise<VBoxVersion>;

  constructor(private readonly deps: DriverDeps) {}

  /** Where VBoxManage is, or undefined. Runs nothing. */
  async findBinary(): Promise<string | undefined> {
    if (this.binaryPath) return this.binaryPath;
    const { runner, platform, env } = this.deps;
    let found = (await runner.which('VBoxManage')) ?? (await runner.which('VBoxManage.exe'));
    // The Windows installer does not put VirtualBox on PATH; it records its folder instead.
    for (const variable of ['VBOX_MSI_INSTALL_PATH', 'VBOX_INSTALL_PATH']) {
      const folder = env[variable];
      if (found || !folder) continue;
      const join = platform === 'win32' ? windowsJoin : posixJoin;
      found = await runner.which(join(folder, platform === 'win32' ? 'VBoxManage.exe' : 'VBoxManage'));
    }
    this.binaryPath = found;
    return found;
  }

  async binary(): Promise<string> {
    const found = await this.findBinary();
    if (!found) throw missing();
    return found;
  }

  /** Runs VBoxManage once; only a missing program, exit 126 and a timeout are errors here. */
  async runOnce(args: readonly string[], options: ExecOptions = {}): Promise<CommandResult> {
    const binary = await this.binary();
    let result: CommandResult;
    try {
      result = await this.deps.runner.run(binary, args, { env: { ...VBOX_ENV }, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: options.signal });
    } catch (error) {
      if (isTwinboxError(error) && error.code === 'command-not-found') {
        this.binaryPath = undefined;
        throw missing();
      }
      throw error;
    }
    if (result.timedOut) {
      throw new TwinboxError('timeout', `VBoxManage ${args[0] ?? ''} did not finish within ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`, {
        hint: 'VirtualBox may be hung: check the VM in the VirtualBox window, or restart VirtualBox',
        exit: 'timeout',
        details: { command: `VBoxManage ${args.join(' ')}` },
      });
    }
    if (result.exitCode === 126) {
      // The shell found VBoxManage but could not execute it, or it could not execute a part of
      // VirtualBox it needs: a damaged installation.
      throw new TwinboxError('virtualbox-broken', `VBoxManage at ${binary} could not run (exit code 126): the VirtualBox installation is damaged`, {
        hint: 'reinstall VirtualBox 7 from virtualbox.org',
        details: { stderr: result.stderr.trim() },
      });
    }
    return { ...result, stdout: result.stdout.replace(/\r\n/g, '\n'), stderr: result.stderr.replace(/\r\n/g, '\n') };
  }

  /**
   * Runs VBoxManage, retrying lock conflicts up to MAX_ATTEMPTS times a second apart, and
   * returns its stdout or the failure as data (for callers that expect some failures).
   */
  async attempt(args: readonly string[], options: ExecOptions = {}): Promise<ExecOutcome> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.runOnce(args, options);
      const failed = result.exitCode !== 0 || reportsError(result.stderr) || reportsError(result.stdout);
      if (!failed) return { ok: true, stdout: result.stdout };
      const failure = parseFailure(result.exitCode, result.stdout, result.stderr);
      if (!isTransient(failure) || attempt >= MAX_ATTEMPTS) return { ok: false, failure };
      this.deps.logger?.debug('VBoxManage reported a lock conflict; retrying', { args: args.join(' '), attempt, message: failure.message });
      await this.deps.clock.sleep(RETRY_DELAY_MS, options.signal);
    }
  }

  /** Runs VBoxManage and returns its stdout; any failure throws a TwinboxError. */
  async exec(args: readonly string[], options: ExecOptions = {}): Promise<string> {
    const outcome = await this.attempt(args, options);
    if (outcome.ok) return outcome.stdout;
    throw toTwinboxError(outcome.failure, args, isTransient(outcome.failure));
  }

  /** `controlvm <vm> <action>`: what a running VM is told (power button, pause, save its state…). */
  async controlvm(vm: VmRef, action: string, options: ExecOptions = {}): Promise<void> {
    await this.exec(['controlvm', machineOf(vm), action], options);
  }

  /** Returns once the VM process runs; a saved VM is restored by the same command. */
  async startvm(vm: VmRef, options: ExecOptions = {}): Promise<void> {
    await this.exec(['startvm', machineOf(vm), '--type', 'headless'], { ...options, timeoutMs: options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS });
  }

  /** `VBoxManage --version`, read once per process (and cached on disk per binary). */
  async version(): Promise<VBoxVersion> {
    this.versionRead ??= this.readVersion().catch((error: unknown) => {
      this.versionRead = undefined;
      throw error;
    });
    return this.versionRead;
  }

  private async readVersion(): Promise<VBoxVersion> {
    const binary = await this.binary();
    return cachedVersion(binary, this.deps.paths.cacheDir, async () => {
      const result = await this.runOnce(['--version'], { timeoutMs: 30_000 });
      const parsed = parseVersion(`${result.stdout}\n${result.stderr}`);
      if (result.exitCode !== 0 || !parsed) {
        const failure = parseFailure(result.exitCode, result.stdout, result.stderr);
        throw new TwinboxError('virtualbox-broken', `VBoxManage --version gave no version (exit code ${result.exitCode}): ${failure.message}`, {
          hint: 'reinstall VirtualBox 7 from virtualbox.org',
          details: { output: failure.output },
        });
      }
      return parsed;
    });
  }
}
