import type { WorkspaceManifest } from '../package/manifest-schema.js';
import { isTwinboxError } from '../../plugin-api/index.js';
import { EventCodes } from '../events/codes.js';
import { checkShareFolders, ninePShares } from '../redirection/folder-shares.js';
import type { Workspace } from '../workspace/open-workspace.js';
import type { SetupJournal } from './journal.js';
import { STEP } from './setup-run-context.js';
import { chooseHypervisor } from './steps/choose-hypervisor.js';

/**
 * Before setup begins: refuses (exit 2, event 4012) when a folder the hypervisor will export
 * is missing on the host or is a file, so that no setup is left half done for it. The
 * hypervisor is the one an interrupted run chose, else the one setup will choose; when none can
 * be chosen the hypervisor step says why.
 */
export async function refuseMissingSetupShares(ws: Workspace, manifest: WorkspaceManifest, journal: SetupJournal): Promise<void> {
  if (!manifest.sharedFolders.some((folder) => folder.guest.startsWith('/'))) return;
  const plugins = ws.core.plugins;
  let hypervisor;
  try {
    const chosen = journal.data(STEP.hypervisor)?.name;
    hypervisor = await plugins.hypervisor(typeof chosen === 'string' ? chosen : (await chooseHypervisor(plugins, manifest)).name);
  } catch {
    return;
  }
  try {
    checkShareFolders(ws.name, ninePShares(manifest.sharedFolders, hypervisor));
  } catch (error) {
    if (isTwinboxError(error)) ws.events.event('error', EventCodes.sharedFolderMissing, `setup not begun: ${error.message}`, error.details);
    throw error;
  }
}
