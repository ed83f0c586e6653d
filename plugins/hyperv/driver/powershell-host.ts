import { randomBytes } from 'node:crypto';
import { isTwinboxError, TwinboxError, type CommandRunner, type LongLivedProcess, type PluginLogger } from 'twinbox/plugin-api';
import { beginMarker, endMarker, extractEnvelope, framedLines, type Envelope } from './framing.js';

export const POWERSHELL_ARGS = ['-NoProfile', '-NonInteractive', '-NoExit', '-Command', '-'] as const;

/**
 * Run once per host: UTF-8 output without a byte-order mark, no progress bars, errors stop
 * scripts, and a helper that looks a VM up by GUID, telling "no such VM" (error id
 * TwinboxVmNotFound) apart from every other failure such as missing rights.
 */
export const INIT_SCRIPT = [
  '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false;',
  "$global:ProgressPreference = 'SilentlyContinue';",
  "$global:ErrorActionPreference = 'Stop';",
  'function global:Test-TwinboxRights {',
  '$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent());',
  "$principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator) -or $principal.IsInRole([Security.Principal.SecurityIdentifier]'S-1-5-32-578') };",
  'function global:Get-TwinboxVm { param([string]$Id)',
  '$found = Hyper-V\\Get-VM -Id $Id -ErrorAction SilentlyContinue -ErrorVariable lookupErrors;',
  'if ($found) { return $found };',
  // A VM Hyper-V does not know: Get-VM -Id says InvalidArgument with the id
  // InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM (not ObjectNotFound); older
  // builds say ObjectNotFound. Other errors (rights, the service) are passed on as they are.
  "if ($lookupErrors.Count -gt 0 -and $lookupErrors[0].CategoryInfo.Category.ToString() -ne 'ObjectNotFound' -and [string]$lookupErrors[0].FullyQualifiedErrorId -ne 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM') { throw $lookupErrors[0] };",
  // Without rights Get-VM can find nothing and say nothing: that is no proof the VM is gone.
  "if (-not (Test-TwinboxRights)) { Write-Error -Message 'You do not have the required permission to complete this task.' -Category PermissionDenied -ErrorId TwinboxNoRights };",
  "$message = if ($lookupErrors.Count -gt 0) { $lookupErrors[0].Exception.Message } else { 'Hyper-V has no virtual machine with ID ' + $Id };",
  'Write-Error -Message $message -Category ObjectNotFound -ErrorId TwinboxVmNotFound };',
  '$PSVersionTable.PSVersion.ToString()',
].join(' ');

export interface PowerShellHostOptions {
  runner: CommandRunner;
  executable: string;
  logger?: PluginLogger;
  /** Close the host after this long without commands (0: never), so a finished CLI can exit. */
  idleMs: number;
  startTimeoutMs?: number;
}

interface Pending {
  id: string;
  stderrStart: number;
  resolve: (envelope: Envelope) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * One PowerShell process answering commands over stdin/stdout (starting PowerShell costs
 * seconds; a command in a running host costs milliseconds). Commands run one at a time. Each
 * is written between two marker echoes; its output is what appears between them. A command
 * that times out takes the process with it: the next command starts a fresh one.
 */
export class PowerShellHost {
  private process?: LongLivedProcess;
  private starting?: Promise<LongLivedProcess>;
  private stdoutText = '';
  private stderrText = '';
  private pending?: Pending;
  private queue: Promise<unknown> = Promise.resolve();
  private active = 0;
  private idleTimer?: NodeJS.Timeout;
  private readonly token = randomBytes(4).toString('hex');
  private sequence = 0;

  constructor(private readonly options: PowerShellHostOptions) {}

  /** Runs a script and returns its envelope. Only host failures (timeout, crash) throw. */
  run(script: string, timeoutMs: number): Promise<Envelope> {
    this.active++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const result = this.queue.then(async () => {
      const process = await this.ensureStarted();
      return this.execute(process, script, timeoutMs);
    });
    this.queue = result.catch(() => undefined).finally(() => {
      this.active--;
      this.scheduleIdleClose();
    });
    return result;
  }

  /** Ends the host: asks it to exit, and kills it if it does not within two seconds. */
  async dispose(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const process = this.process;
    this.process = undefined;
    if (!process) return;
    process.stdin.end('exit\n');
    const timer = setTimeout(() => process.kill(), 2000);
    await process.exited;
    clearTimeout(timer);
  }

  private scheduleIdleClose(): void {
    if (this.active > 0 || this.options.idleMs <= 0 || !this.process) return;
    this.idleTimer = setTimeout(() => void this.dispose(), this.options.idleMs);
    this.idleTimer.unref();
  }

  private ensureStarted(): Promise<LongLivedProcess> {
    if (this.process) return Promise.resolve(this.process);
    this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async start(): Promise<LongLivedProcess> {
    const { runner, executable, logger } = this.options;
    let process: LongLivedProcess;
    try {
      process = runner.spawnLongLived(executable, POWERSHELL_ARGS);
    } catch (error) {
      if (isTwinboxError(error) && error.code === 'command-not-found') {
        throw new TwinboxError('powershell-missing', `PowerShell (${executable}) could not be started: program not found`, { hint: 'make sure powershell.exe is on PATH', cause: error });
      }
      throw error;
    }
    this.stdoutText = '';
    this.stderrText = '';
    process.stdout.setEncoding('utf8');
    process.stderr.setEncoding('utf8');
    // A host killed after a timeout may still flush output; it must not reach its successor.
    process.stdout.on('data', (chunk: string) => {
      if (this.process !== process) return;
      this.stdoutText += chunk;
      this.scan();
    });
    process.stderr.on('data', (chunk: string) => {
      if (this.process === process) this.stderrText += chunk;
    });
    // Writing to a host that just died must not crash twinbox; the exit is handled below.
    process.stdin.on('error', () => undefined);
    void process.exited.then((code) => this.onExit(process, code));
    this.process = process;
    logger?.debug('started PowerShell', { executable, pid: process.pid });
    const init = await this.execute(process, INIT_SCRIPT, this.options.startTimeoutMs ?? 30_000);
    if (!init.ok) {
      this.kill(process);
      throw new TwinboxError('powershell-failed', `PowerShell could not be prepared: ${init.error}`, { hint: 'run `powershell.exe -NoProfile` yourself to see what fails' });
    }
    return process;
  }

  private execute(process: LongLivedProcess, script: string, timeoutMs: number): Promise<Envelope> {
    const id = `${this.token}-${++this.sequence}`;
    return new Promise<Envelope>((resolve, reject) => {
      if (this.process !== process) {
        reject(new TwinboxError('powershell-exited', 'PowerShell exited before the command could be sent', { hint: 'try again: the next command starts a new PowerShell' }));
        return;
      }
      const timer = setTimeout(() => {
        if (this.pending?.id !== id) return;
        this.pending = undefined;
        this.kill(process);
        reject(
          new TwinboxError('timeout', `PowerShell did not answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`, {
            hint: 'Hyper-V may be busy or hung; check the VM in Hyper-V Manager',
            exit: 'timeout',
          }),
        );
      }, timeoutMs);
      this.pending = { id, stderrStart: this.stderrText.length, resolve, reject, timer };
      process.stdin.write(framedLines(id, script));
      this.scan();
    });
  }

  private scan(): void {
    const pending = this.pending;
    if (!pending) return;
    const end = endMarker(pending.id);
    const endAt = this.stdoutText.indexOf(end);
    if (endAt < 0) return;
    const before = this.stdoutText.slice(0, endAt);
    this.stdoutText = this.stdoutText.slice(endAt + end.length);
    const begin = beginMarker(pending.id);
    const beginAt = before.lastIndexOf(begin);
    const output = beginAt >= 0 ? before.slice(beginAt + begin.length) : before;
    this.pending = undefined;
    clearTimeout(pending.timer);
    const envelope = extractEnvelope(output);
    if (envelope) {
      pending.resolve(envelope);
      return;
    }
    const stderr = this.stderrText.slice(pending.stderrStart).trim();
    pending.reject(
      new TwinboxError('powershell-failed', `PowerShell gave no result: ${stderr || output.trim() || 'no output'}`, {
        hint: 'this is a twinbox bug if it repeats: please report it with this message',
        details: { stderr, output: output.trim() },
      }),
    );
  }

  private onExit(process: LongLivedProcess, code: number | null): void {
    if (this.process === process) this.process = undefined;
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    const stderr = this.stderrText.slice(pending.stderrStart).trim();
    pending.reject(
      new TwinboxError('powershell-exited', `PowerShell exited unexpectedly (exit code ${code ?? 'none'})${stderr ? `: ${stderr}` : ''}`, {
        hint: 'try again: the next command starts a new PowerShell',
        details: { stderr },
      }),
    );
  }

  private kill(process: LongLivedProcess): void {
    if (this.process === process) this.process = undefined;
    process.kill();
  }
}
