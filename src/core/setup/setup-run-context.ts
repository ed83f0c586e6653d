import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { TwinboxError, type GuestAgentSession, type HypervisorPlugin, type VmRef } from '../../plugin-api/index.js';
import type { WorkspaceManifest } from '../package/manifest-schema.js';
import { bootVm } from '../workspace/boot-vm.js';
import { waitForGuestAgent } from '../workspace/guest-agent-connection.js';
import type { Workspace } from '../workspace/open-workspace.js';
import type { WorkspaceEntry } from '../workspace/registry.js';
import type { HostFacts } from './host-facts.js';
import type { JsonValue, SetupJournal } from './journal.js';
import type { SetupMode } from './progress-events.js';
import type { StepContext } from './step-runner.js';

export const STEP = {
  hypervisor: 'hypervisor',
  vm: 'vm',
  boot: 'boot',
  agent: 'agent',
  computerName: 'computer-name',
  timeZone: 'time-zone',
  locale: 'locale',
  user: 'user',
  apps: 'apps',
} as const;

export function scriptStepId(index: number): string {
  return `script-${index}`;
}

/** Where this setup's VM lives and what it is called. */
export interface VmTarget {
  id: string;
  vmDir: string;
}

/**
 * During an upgrade the old version's VM stays usable until the new one is ready, so the new
 * VM gets its own folder and id (ids are unique per hypervisor).
 */
export function vmTarget(ws: Workspace, entry: WorkspaceEntry): VmTarget {
  if (!entry.replacing || !entry.vm) return { id: ws.name, vmDir: ws.layout.vmDir };
  const tag = createHash('sha256').update(entry.version).digest('hex').slice(0, 6);
  return { id: `${ws.name.slice(0, 33)}-${tag}`, vmDir: join(ws.layout.workspaceDir, `vm-${entry.version}`) };
}

/** One run of first-time setup: what the steps share. */
export class SetupRun {
  private session: GuestAgentSession | undefined;

  constructor(
    readonly ws: Workspace,
    /** The entry as it was when setup began. */
    readonly entry: WorkspaceEntry,
    readonly manifest: WorkspaceManifest,
    readonly journal: SetupJournal,
    readonly mode: SetupMode,
    readonly host: HostFacts,
    readonly target: VmTarget,
    readonly random?: (below: number) => number,
  ) {}

  get upgrading(): boolean {
    return this.target.vmDir !== this.ws.layout.vmDir;
  }

  get hypervisorName(): string {
    const name = this.journal.data(STEP.hypervisor)?.name;
    if (typeof name !== 'string') throw new Error('setup: no hypervisor has been chosen yet');
    return name;
  }

  hypervisor(): Promise<HypervisorPlugin> {
    return this.ws.core.plugins.hypervisor(this.hypervisorName);
  }

  vm(): VmRef {
    const vm = vmFromData(this.journal.data(STEP.vm)?.vm);
    if (!vm) throw new Error('setup: the VM has not been created yet');
    return vm;
  }

  get computerName(): string | undefined {
    const name = this.journal.data(STEP.computerName)?.name;
    return typeof name === 'string' ? name : undefined;
  }

  /**
   * The guest-agent session, connected on first use. A resumed run connects again, first
   * starting the VM if it stopped in between (the host rebooted in the middle of setup).
   */
  async agent(context: StepContext): Promise<GuestAgentSession> {
    if (this.session) return this.session;
    const hypervisor = await this.hypervisor();
    const vm = this.vm();
    await bootVm(hypervisor, vm, { timeoutMs: context.remainingMs(), signal: context.signal });
    const plugin = await this.ws.core.plugins.guestAgent(this.manifest.guestAgent.plugin);
    this.session = await waitForGuestAgent(hypervisor, plugin, vm, this.manifest.guestAgent.channel, {
      timeoutMs: context.remainingMs(),
      clock: this.ws.clock,
      signal: context.signal,
      onRetry: (reason) => context.progress(`waiting for the guest agent: ${reason}`),
    });
    return this.session;
  }

  /** After a failure the session may be dead (the guest rebooted, a call timed out); the next use reconnects. */
  async dropAgent(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.close().catch(() => undefined);
  }

  /** Runs work that needs the guest agent, dropping the session when the work fails. */
  async withAgent<T>(context: StepContext, work: (session: GuestAgentSession) => Promise<T>): Promise<T> {
    try {
      return await work(await this.agent(context));
    } catch (error) {
      await this.dropAgent();
      throw error;
    }
  }
}

/** A VM reference as the journal keeps it (the create step stores what the plugin returned). */
export function vmFromData(value: JsonValue | undefined): VmRef | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) && typeof value.id === 'string' && typeof value.vmDir === 'string'
    ? (value as unknown as VmRef)
    : undefined;
}

export function notRetryable(code: string, message: string, hint: string): TwinboxError {
  return new TwinboxError(code, message, { hint, details: { retryable: false } });
}
