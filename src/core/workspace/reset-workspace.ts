import { rm } from 'node:fs/promises';
import type { VmRef } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import type { Core } from '../open-core.js';
import { appsFile } from '../setup/app-catalog.js';
import { SetupJournal } from '../setup/journal.js';
import { setupLocked, type SetupOptions, type SetupResult } from '../setup/setup-workspace.js';
import { STEP, vmFromData } from '../setup/setup-run-context.js';
import { requireAdmin } from '../system/admin.js';
import { adminCheckOf } from '../system/system-context.js';
import { withWorkspaceLock } from './workspace-lock.js';
import { openWorkspace, type Workspace } from './open-workspace.js';
import { crashPoint } from './crash-points.js';

interface KnownVm {
  hypervisor: string;
  vm: VmRef;
}

/** The registry's VM, and one an unfinished setup made but had not recorded there yet (an upgrade's). */
async function knownVms(ws: Workspace): Promise<KnownVm[]> {
  const entry = ws.entry();
  const vms: KnownVm[] = [];
  if (entry.vm && entry.hypervisor) vms.push({ hypervisor: entry.hypervisor, vm: entry.vm });
  const journal = await SetupJournal.open(ws.layout.journalFile, ws.name, entry.version, () => ws.clock.now());
  const hypervisor = journal.data(STEP.hypervisor)?.name;
  const vm = vmFromData(journal.data(STEP.vm)?.vm);
  if (typeof hypervisor === 'string' && vm && !vms.some((known) => known.vm.vmDir === vm.vmDir)) vms.push({ hypervisor, vm });
  return vms;
}

/**
 * Throws the user's VM away and sets the workspace up again from the read-only base image
 * (MED-V's reset: all data in the VM is lost). The caller has confirmed.
 */
export async function resetWorkspace(core: Core, name: string, setup: SetupOptions = {}): Promise<SetupResult> {
  const ws = openWorkspace(core, name);
  if (ws.scope === 'system' && !ws.orphaned) {
    requireAdmin(adminCheckOf(core), `reset the machine-wide workspace "${name}"`, 'ask an administrator to reset it');
  }
  return withWorkspaceLock(ws, 'reset', async () => {
    for (const known of await knownVms(ws)) {
      const hypervisor = await core.plugins.hypervisor(known.hypervisor);
      await hypervisor.remove(known.vm);
    }
    crashPoint('reset:vm-removed');
    await SetupJournal.discard(ws.layout.journalFile);
    crashPoint('reset:journal-discarded');
    await rm(appsFile(ws.layout), { force: true });
    await rm(ws.layout.statusFile, { force: true });
    crashPoint('reset:records-removed');
    await ws.update((entry) => ({ ...entry, hypervisor: undefined, vm: undefined, setup: { state: 'pending', updatedAt: new Date(ws.clock.now()).toISOString() } }));
    crashPoint('reset:entry-pending');
    ws.events.event('warn', EventCodes.vmReset, 'the workspace was reset: its VM was deleted and first-time setup runs again');
    return setupLocked(ws, setup);
  });
}
