import { TwinboxError, type CommandRunner, type PluginLogger, type VmRef } from 'twinbox/plugin-api';
import { powerScript, type PowerAction } from '../scripts/power.js';
import { toTwinboxError } from './errors.js';
import type { Envelope } from './framing.js';
import { vmIdOf } from './names.js';
import { PowerShellHost } from './powershell-host.js';

export interface HyperVDriverDeps {
  runner: CommandRunner;
  logger?: PluginLogger;
  idleMs: number;
  commandTimeoutMs: number;
}

export interface InvokeOptions {
  /** What the command does, for error messages ("start the VM"). */
  action: string;
  timeoutMs?: number;
}

const POWER_ACTIONS: Readonly<Record<PowerAction, string>> = {
  start: 'start the VM',
  shutdown: 'shut the VM down',
  'turn-off': 'turn the VM off',
  pause: 'pause the VM',
  save: 'save the VM',
  resume: 'resume the VM',
  'discard-saved-state': "discard the VM's saved state",
};

export const POWERSHELL_CANDIDATES = ['powershell.exe', 'pwsh.exe', 'pwsh'] as const;

export const POWERSHELL_HINT =
  'Windows PowerShell ships with Windows (C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe): put it on PATH; in WSL, enable interop and appendWindowsPath in /etc/wsl.conf';

/** Runs Hyper-V scripts in the plugin's one PowerShell host. */
export class HyperVDriver {
  private executable?: string;
  private host?: Promise<PowerShellHost>;

  constructor(private readonly deps: HyperVDriverDeps) {}

  /** Windows PowerShell first: it has the Hyper-V module natively; PowerShell 7 only through compatibility. */
  async findPowerShell(): Promise<string | undefined> {
    if (this.executable) return this.executable;
    for (const name of POWERSHELL_CANDIDATES) {
      const found = await this.deps.runner.which(name);
      if (found) {
        this.executable = found;
        return found;
      }
    }
    return undefined;
  }

  private hostFor(): Promise<PowerShellHost> {
    // Callers arriving together must share the one host, so the lookup itself is shared.
    this.host ??= this.findPowerShell().then((executable) => {
      if (!executable) throw new TwinboxError('powershell-missing', 'PowerShell was not found (powershell.exe or pwsh)', { hint: POWERSHELL_HINT });
      return new PowerShellHost({ runner: this.deps.runner, executable, logger: this.deps.logger, idleMs: this.deps.idleMs });
    });
    this.host.catch(() => {
      this.host = undefined;
    });
    return this.host;
  }

  /** The envelope of a script, failures included (for callers that expect some). */
  async attempt(script: string, options: InvokeOptions): Promise<Envelope> {
    const host = await this.hostFor();
    return host.run(script, options.timeoutMs ?? this.deps.commandTimeoutMs);
  }

  /** The value of a script; a failure throws a TwinboxError. */
  async invoke(script: string, options: InvokeOptions): Promise<unknown> {
    const envelope = await this.attempt(script, options);
    if (!envelope.ok) throw toTwinboxError(envelope, options.action);
    return envelope.value;
  }

  /** A power action on the VM (Start-VM, Stop-VM, Save-VM…); a failure throws. */
  async power(vm: VmRef, action: PowerAction, timeoutMs?: number): Promise<void> {
    await this.invoke(powerScript(vmIdOf(vm), action), { action: POWER_ACTIONS[action], timeoutMs });
  }

  /** The same, with the failure as an envelope. */
  attemptPower(vm: VmRef, action: PowerAction): Promise<Envelope> {
    return this.attempt(powerScript(vmIdOf(vm), action), { action: POWER_ACTIONS[action] });
  }

  async dispose(): Promise<void> {
    const host = await this.host?.catch(() => undefined);
    await host?.dispose();
  }
}
