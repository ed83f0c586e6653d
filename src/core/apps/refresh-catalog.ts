import { syncShims } from '../publishing/sync-shims.js';
import { TwinboxError, type GuestApp } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import { reasonOf } from '../error-reason.js';
import type { Core } from '../open-core.js';
import { buildCatalog, readCatalog, writeCatalog, type CatalogApp } from '../setup/app-catalog.js';
import { attachedVm } from '../workspace/attached-vm.js';
import { waitForGuestAgent } from '../workspace/guest-agent-connection.js';
import { loadManifest } from '../workspace/load-manifest.js';
import { withWorkspaceLock } from '../workspace/workspace-lock.js';
import { openWorkspace, type Workspace } from '../workspace/open-workspace.js';
import { catalogChanges, describeChanges, hasChanges, type CatalogChanges } from './catalog-changes.js';
import { crashPoint } from '../workspace/crash-points.js';

export interface RefreshResult {
  workspace: string;
  /** False when publishing.enabled is off: nothing was asked of the guest and no app is published. */
  publishing: boolean;
  apps: CatalogApp[];
  changes: CatalogChanges;
  /** The catalog file was rewritten. */
  changed: boolean;
}

export interface RefreshOptions {
  /** How long to wait for the guest agent. */
  agentTimeoutMs?: number;
}

const DEFAULT_AGENT_TIMEOUT_MS = 30_000;

async function guestApps(ws: Workspace, agentTimeoutMs: number): Promise<GuestApp[]> {
  const manifest = await loadManifest(ws.entry().storeDir, ws.name);
  if (!manifest.publishing.autoDiscover) return [];
  const target = await attachedVm(ws);
  const state = await target.hypervisor.state(target.vm);
  if (state.state !== 'running') {
    throw new TwinboxError('vm-not-running', `workspace "${ws.name}" is ${state.state}, so its guest cannot be asked for its apps`, {
      hint: `start it with \`twinbox start ${ws.name}\`, then refresh again`,
    });
  }
  const agent = await ws.core.plugins.guestAgent(manifest.guestAgent.plugin);
  const session = await waitForGuestAgent(target.hypervisor, agent, target.vm, manifest.guestAgent.channel, { timeoutMs: agentTimeoutMs, clock: ws.clock });
  try {
    return await session.listApps({ timeoutMs: agentTimeoutMs });
  } finally {
    await session.close().catch(() => undefined);
  }
}

/**
 * Runs app discovery again on a set-up, running workspace and rewrites its catalog when the
 * guest's apps changed: apps whose desktop file was removed or renamed in the guest go, a
 * renamed app keeps its id. Honours the package's include/exclude rules and the
 * `publishing.enabled` setting (off: the catalog is emptied). Takes the workspace's lock for
 * the time of the refresh only; another holder makes it fail as busy (exit 75).
 */
export async function refreshCatalog(core: Core, name: string, options: RefreshOptions = {}): Promise<RefreshResult> {
  const ws = openWorkspace(core, name);
  const settings = core.settings;
  if (ws.entry().setup.state !== 'ready') {
    throw new TwinboxError('workspace-not-set-up', `workspace "${name}" is not set up yet, so it has no apps to refresh`, {
      hint: `run \`twinbox start ${name}\` (first-time setup discovers the apps)`,
      exit: 'usage',
    });
  }
  const refreshed = await withWorkspaceLock(ws, 'app catalog refresh', async (): Promise<RefreshResult> => {
    const enabled = settings.get('publishing.enabled');
    const previous = await readCatalog(ws.layout);
    let apps: CatalogApp[] = [];
    if (enabled) {
      const manifest = await loadManifest(ws.entry().storeDir, name);
      try {
        apps = buildCatalog(await guestApps(ws, options.agentTimeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS), manifest.publishing);
      } catch (error) {
        ws.events.event('warn', EventCodes.appsRefreshFailed, `the app catalog could not be refreshed: ${reasonOf(error)}`);
        throw error;
      }
    }
    const changes = catalogChanges(previous?.apps ?? [], apps);
    const changed = hasChanges(changes) || !previous;
    if (changed) await writeCatalog(ws.layout, { workspace: name, version: ws.entry().version, updatedAt: new Date(ws.clock.now()).toISOString(), apps });
    crashPoint('publish:catalog-refreshed');
    if (hasChanges(changes)) {
      if (!enabled) ws.events.event('info', EventCodes.appsPublishingDisabled, `app publishing is off (publishing.enabled): ${changes.removed.length} app(s) withdrawn`, { ...changes });
      else ws.events.event('info', EventCodes.appsCatalogChanged, `the guest's apps changed: ${describeChanges(changes)}`, { ...changes });
    }
    return { workspace: name, publishing: enabled, apps, changes, changed };
  });
  // Host commands and menu entries follow the catalog (nothing to do unless `publish --shims` ran).
  if (refreshed.changed) {
    await syncShims(core).catch((error: unknown) => ws.events.event('warn', EventCodes.shimsSyncFailed, `the shims did not follow the new catalog: ${reasonOf(error)}`));
  }
  return refreshed;
}
