import type { VmRef, VmState } from '../../plugin-api/index.js';
import type { Core } from '../open-core.js';
import { checkCatalog } from '../setup/app-catalog.js';
import { readStatusRecord, type SetupStatusRecord } from '../setup/status-record.js';
import { lockHolder, type LockHolder } from './lock.js';
import { openRegistry, openWorkspace, type Workspace } from './open-workspace.js';
import { visibleWorkspaces } from './visible-workspaces.js';
import { reasonOf } from '../error-reason.js';
import { withTimeout } from '../with-timeout.js';
import type { SetupState, WorkspaceEntry } from './registry.js';
import { readGuestOs, type GuestOs } from './guest-os.js';
import { maintenanceStatus, type MaintenanceStatus } from '../maintenance/maintenance-status.js';
import { readShareRecord, unmountedNote, type ShareMount } from '../redirection/folder-shares.js';

/** A VM state, or `unavailable` when its hypervisor plugin cannot be used here right now. */
export type WorkspaceState = VmState | 'unavailable';

export interface WorkspaceStatus {
  name: string;
  /** `user`: this user's own workspace; `system`: installed machine-wide (this user's VM on the shared base). */
  scope: 'user' | 'system';
  /** A machine-wide workspace hidden by this user's own workspace of the same name. */
  shadowed?: boolean;
  version: string;
  description: string;
  hypervisor?: string;
  /** True on the fake hypervisor: no real guest runs. */
  simulated?: boolean;
  state: WorkspaceState;
  reason: string;
  setup: {
    state: SetupState;
    /** 0 when ready, else the failing step's event code. */
    code?: number;
    step?: string;
    updatedAt?: string;
    /** Setup was running in a process that is gone; `twinbox setup` resumes it. */
    interrupted?: boolean;
    /** The last setup's status record (what monitoring reads). */
    record?: SetupStatusRecord;
  };
  /** The process holding the workspace's lock for a change, if any. */
  lockedBy?: LockHolder;
  apps: number;
  vm?: VmRef;
  /** The guest's OS as its agent last said (at setup or start). */
  guestOs?: GuestOs;
  /** Resource figures, where the hypervisor plugin reports them. */
  cpuPercent?: number;
  memoryBytes?: number;
  /** The maintenance window, when one is scheduled or has ever run. */
  maintenance?: MaintenanceStatus;
  /** Folders the VM exports (9p), and whether the guest mounted each at its last start. */
  sharedFolders?: ShareMount[];
}

/** A hypervisor that does not answer must not hang `status`. */
const STATE_TIMEOUT_MS = 10_000;

/** What a workspace that is not ready needs next. */
function setupNote(ws: Workspace, entry: WorkspaceEntry, interrupted: boolean): string {
  switch (entry.setup.state) {
    case 'pending':
      return `not set up yet: \`twinbox start ${ws.name}\` or \`twinbox setup ${ws.name}\` sets it up`;
    case 'running':
      return interrupted ? `setup was interrupted: \`twinbox setup ${ws.name}\` resumes it` : 'first-time setup is running';
    default:
      return `setup failed at step ${entry.setup.step ?? '?'}: \`twinbox reset ${ws.name}\` starts again`;
  }
}

/**
 * The VM's state as its hypervisor reports it now: the registry only remembers which VM it is.
 * A VM deleted behind twinbox's back shows as not-created with the way out; a hypervisor
 * plugin that is broken or unusable here shows its reason instead of failing the read.
 */
async function observeVm(ws: Workspace, entry: WorkspaceEntry): Promise<Pick<WorkspaceStatus, 'state' | 'reason' | 'simulated' | 'cpuPercent' | 'memoryBytes'>> {
  const { vm, hypervisor: name } = entry;
  if (!vm || !name) return { state: 'not-created', reason: '' };
  let hypervisor;
  try {
    hypervisor = await ws.core.plugins.hypervisor(name);
  } catch (error) {
    return { state: 'unavailable', reason: `the ${name} hypervisor plugin cannot be used: ${reasonOf(error)}` };
  }
  try {
    const status = await withTimeout(hypervisor.state(vm), STATE_TIMEOUT_MS, `${name} did not report the VM's state within ${STATE_TIMEOUT_MS / 1000} s`);
    if (status.state === 'not-created') {
      return { state: 'not-created', reason: `the VM was deleted outside twinbox (${status.reason}): \`twinbox reset ${ws.name}\` makes it again`, simulated: hypervisor.simulated };
    }
    return { state: status.state, reason: status.reason, simulated: hypervisor.simulated, cpuPercent: status.cpuPercent, memoryBytes: status.memoryBytes };
  } catch (error) {
    const availability = await ws.core.plugins.availability(name).catch(() => undefined);
    if (availability && !availability.usable) return { state: 'unavailable', reason: `${name} is not usable here: ${availability.reason}`, simulated: hypervisor.simulated };
    return { state: 'unknown', reason: `${name} could not read the VM's state: ${reasonOf(error)}`, simulated: hypervisor.simulated };
  }
}

/** Never locks: a status read must work while another process changes the workspace. */
export async function statusOf(ws: Workspace, entry: WorkspaceEntry = ws.entry()): Promise<WorkspaceStatus> {
  const lockedBy = lockHolder(ws.layout.lockFile);
  const interrupted = entry.setup.state === 'running' && !lockedBy;
  const observed = await observeVm(ws, entry);
  if (entry.uninstalling) {
    observed.reason = `an uninstall begun ${entry.uninstalling} was interrupted: \`twinbox uninstall ${ws.name}\` finishes it`;
  } else if (ws.orphaned) {
    observed.reason = `an administrator uninstalled this machine-wide workspace: \`twinbox uninstall ${ws.name}\` removes your VM and state`;
  } else if (entry.setup.state !== 'ready') {
    const note = setupNote(ws, entry, interrupted);
    observed.reason = observed.reason ? `${observed.reason}; ${note}` : note;
  }
  const record = await readStatusRecord(ws.layout);
  const checked = checkCatalog(ws.layout);
  const catalog = checked.kind === 'good' ? checked.catalog : undefined;
  if (checked.kind === 'damaged') {
    const note = `its app catalog is damaged (${checked.problem}): \`twinbox apps ${ws.name} --refresh\` discovers the apps again`;
    observed.reason = observed.reason ? `${observed.reason}; ${note}` : note;
  }
  const status: WorkspaceStatus = {
    name: entry.name,
    scope: ws.scope,
    version: entry.version,
    description: entry.description,
    hypervisor: entry.hypervisor,
    simulated: observed.simulated,
    state: observed.state,
    reason: observed.reason,
    setup: { ...entry.setup, record },
    lockedBy,
    apps: catalog?.apps.length ?? 0,
    vm: entry.vm,
  };
  const os = readGuestOs(ws.layout);
  if (os) status.guestOs = os;
  if (observed.cpuPercent !== undefined) status.cpuPercent = observed.cpuPercent;
  if (observed.memoryBytes !== undefined) status.memoryBytes = observed.memoryBytes;
  if (interrupted) status.setup.interrupted = true;
  const maintenance = await maintenanceStatus(ws);
  if (maintenance) status.maintenance = maintenance;
  await addShares(status, entry);
  return status;
}

/** A running guest without a shared folder it should have says so in its reason. */
async function addShares(status: WorkspaceStatus, entry: WorkspaceEntry): Promise<void> {
  const record = entry.vm ? await readShareRecord(entry.vm.vmDir) : undefined;
  if (!record) return;
  const live = status.state === 'running' || status.state === 'paused';
  status.sharedFolders = record.exported.map((share) => record.last?.mounts.find((mount) => mount.tag === share.tag && live) ?? { ...share, mounted: false });
  const note = live ? unmountedNote(record) : undefined;
  if (note) status.reason = status.reason ? `${status.reason}; ${note}` : note;
}

export function workspaceStatus(core: Core, name: string): Promise<WorkspaceStatus> {
  return statusOf(openWorkspace(core, name));
}

/** A machine-wide workspace this user cannot reach by name because their own one has it. */
function shadowedStatus(entry: WorkspaceEntry): WorkspaceStatus {
  return {
    name: entry.name,
    scope: 'system',
    shadowed: true,
    version: entry.version,
    description: entry.description,
    state: 'not-created',
    reason: `hidden by your own workspace "${entry.name}": uninstall yours to use the machine-wide one`,
    setup: { state: 'pending' },
    apps: 0,
  };
}

/**
 * This user's workspaces and the machine-wide ones, by name (the user's own first on a clash).
 * Workspaces machine policy denies this user (access.workspaces) are left out.
 */
export async function workspaceStatuses(core: Core): Promise<WorkspaceStatus[]> {
  const registry = openRegistry(core);
  const { names, shadowed } = visibleWorkspaces(core, registry);
  // One read of the registry for all: the dashboard polls this, and each read parses the whole file.
  const own = new Map(registry.list().map((entry) => [entry.name, entry]));
  const statuses = await Promise.all(
    names.map((name) => {
      const listed = own.get(name);
      // A machine-wide workspace's entry may just have been brought in step with the system's: it is read again.
      return statusOf(openWorkspace(core, name, registry, listed), listed?.scope === 'system' ? undefined : listed);
    }),
  );
  for (const entry of shadowed) statuses.splice(statuses.findIndex((status) => status.name === entry.name) + 1, 0, shadowedStatus(entry));
  return statuses;
}
