import type { Clock, SnapshotInfo, VmMetrics } from '../../plugin-api/index.js';
import { readVmMetrics } from '../../core/workspace/vm-metrics.js';
import { runDoctor, type DoctorReport } from '../../core/doctor/doctor.js';
import type { EventRecord } from '../../core/events/event-log.js';
import type { Core } from '../../core/open-core.js';
import type { PluginReport } from '../../core/plugins/plugin-registry.js';
import { readCatalog, type CatalogApp } from '../../core/setup/app-catalog.js';
import { readPackageLayer } from '../../core/settings/read-package-layer.js';
import type { EffectiveSetting } from '../../core/settings/effective-setting.js';
import { agentHealth, type AgentHealth } from '../../core/workspace/agent-health.js';
import { attachedVm } from '../../core/workspace/attached-vm.js';
import { followEvents, lastEvents } from '../../core/workspace/event-tail.js';
import { openWorkspace } from '../../core/workspace/open-workspace.js';
import { workspaceStatus, workspaceStatuses, type WorkspaceStatus } from '../../core/workspace/workspace-status.js';
import { reasonOf } from '../../core/error-reason.js';
import type { WorkspaceRow } from './workspace-row.js';
import type { Fleet } from '../../core/fleet/fleet.js';
import { hostWorkspaces, type HostStreamState } from '../../core/fleet/host-stream-state.js';

/** What the detail view shows of one workspace. */
export interface WorkspaceDetail {
  status: WorkspaceStatus;
  settings: EffectiveSetting[];
  apps: CatalogApp[];
  /** Undefined with the reason when the hypervisor cannot list them (no VM yet, no support). */
  snapshots: SnapshotInfo[] | { unavailable: string };
}

/**
 * Every read the dashboard makes, each through the same core call as the CLI's commands. None
 * takes a workspace's lock: the dashboard watches workspaces other processes are changing.
 */
export class DashboardService {
  readonly clock: Clock;
  private pluginReports?: Promise<PluginReport[]>;

  /**
   * `fleet`: the other hosts whose workspaces join the list (the `hosts` setting, or `--host`),
   * each streamed over SSH; `local` false leaves this machine's out (`dashboard --host`).
   */
  constructor(
    readonly core: Core,
    readonly fleet?: Fleet,
    readonly local = true,
  ) {
    this.clock = core.clock;
  }

  /** Every workspace's status, and for each running one its guest agent's answer to a ping; then each live fleet host's, as its stream last told. */
  async rows(pingTimeoutMs: number): Promise<WorkspaceRow[]> {
    const statuses = this.local ? await workspaceStatuses(this.core) : [];
    const here: WorkspaceRow[] = await Promise.all(statuses.map(async (status) => (status.state === 'running' ? { status, health: await this.agentHealth(status.name, pingTimeoutMs) } : { status })));
    if (!this.fleet) return here;
    return [...here, ...this.fleet.states().flatMap((host) => hostWorkspaces(host).map((status) => ({ status, host: host.name })))];
  }

  /** Each fleet host's connection as its stream tells it (none without a fleet). */
  hosts(): HostStreamState[] {
    return this.fleet?.states() ?? [];
  }

  agentHealth(name: string, timeoutMs: number): Promise<AgentHealth> {
    return agentHealth(this.core, name, timeoutMs);
  }

  /** Imports and detects every plugin once (it runs `which` and version probes); `refresh` asks again. */
  plugins(refresh = false): Promise<PluginReport[]> {
    if (refresh || !this.pluginReports) this.pluginReports = this.core.plugins.reports();
    return this.pluginReports;
  }

  /** Resolves once the plugin detection under way, if any, has ended (it writes to the cache folder). */
  async settled(): Promise<void> {
    await this.pluginReports?.catch(() => undefined);
  }

  async doctor(): Promise<DoctorReport> {
    return runDoctor(
      this.core.commandRunner,
      this.core.paths,
      await this.plugins(true),
    );
  }

  /** Calls `listener` when settings.json changes (conf's onDidChange); returns the function that stops it. */
  readonly onSettingsChange = (listener: () => void): (() => void) => this.core.settings.onDidChange(listener);

  async detail(name: string): Promise<WorkspaceDetail> {
    const ws = openWorkspace(this.core, name);
    const entry = ws.entry();
    const settings = this.core.settings.forPackage(await readPackageLayer(name, entry.storeDir));
    const [status, catalog] = await Promise.all([workspaceStatus(this.core, name), readCatalog(ws.layout)]);
    let snapshots: WorkspaceDetail['snapshots'];
    try {
      const target = await attachedVm(ws, entry);
      snapshots = target.hypervisor.capabilities().snapshots
        ? await target.hypervisor.listSnapshots(target.vm)
        : { unavailable: `${target.hypervisor.displayName} has no snapshots` };
    } catch (error) {
      snapshots = { unavailable: reasonOf(error) };
    }
    return { status, settings: settings.effective(), apps: catalog?.apps ?? [], snapshots };
  }

  /** What the pane under the list shows of the selected workspace besides its status: its apps' names and its last events. */
  /** What the workspace's running VM uses on the host now, where its plugin can say (undefined otherwise). */
  vmMetrics(name: string): Promise<VmMetrics | undefined> {
    return readVmMetrics(openWorkspace(this.core, name));
  }

  async pane(name: string, events: number): Promise<{ apps: string[]; events: EventRecord[] }> {
    const ws = openWorkspace(this.core, name);
    const [catalog, last] = await Promise.all([readCatalog(ws.layout), lastEvents(ws.layout.eventsFile, events)]);
    return { apps: (catalog?.apps ?? []).map((app) => app.name), events: last.records };
  }

  /** The last `count` events, then each new one until `signal` aborts (`twinbox logs --follow`). */
  async tailEvents(name: string, count: number, onRecords: (records: EventRecord[]) => void, signal: AbortSignal): Promise<void> {
    const file = openWorkspace(this.core, name).layout.eventsFile;
    const { records, offset } = await lastEvents(file, count);
    onRecords(records);
    await followEvents(file, offset, (record) => onRecords([record]), signal, this.clock);
  }
}
