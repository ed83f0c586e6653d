import { TwinboxError } from '../../../plugin-api/index.js';
import { EventCodes } from '../../events/codes.js';
import { describeFolders } from '../../redirection/shared-folders.js';
import { exportedShares, mountExportedShares } from '../../redirection/workspace-shares.js';
import type { SetupRun } from '../setup-run-context.js';
import type { SetupStep } from '../step-runner.js';

export const SHARED_FOLDERS_STEP = 'shared-folders';

/** Shared folders with a POSIX guest path: the ones a hypervisor can export (9p). */
export function hasGuestMountedFolders(run: Pick<SetupRun, 'manifest'>): boolean {
  return run.manifest.sharedFolders.some((folder) => folder.guest.startsWith('/'));
}

/**
 * Mounts the folders the VM exports in the guest, before the setup scripts run (they may use
 * them). A hypervisor that shares none itself leaves them to the package, and says so.
 */
export function sharedFoldersStep(run: SetupRun): SetupStep {
  return {
    id: SHARED_FOLDERS_STEP,
    title: 'Mount the shared folders',
    weight: 2,
    failureCode: EventCodes.setupSharedFoldersFailed,
    async run(context) {
      const vm = run.vm();
      const shares = await exportedShares(vm);
      if (shares.length === 0) {
        const hypervisor = await run.hypervisor();
        const note = hypervisor.folderSharing?.note;
        const folders = run.manifest.sharedFolders.filter((folder) => folder.guest.startsWith('/'));
        context.log('info', `${hypervisor.displayName} shares no folders itself${note ? ` (${note})` : ''}: ${describeFolders(folders)} are left to the package`);
        return { mounted: 0 };
      }
      context.progress(`mounting ${shares.length} shared folder(s)`);
      try {
        await run.withAgent(context, (session) => mountExportedShares(run.ws, vm, session, shares));
      } catch (error) {
        // The guest's kernel or mount does not change between tries.
        if (error instanceof TwinboxError && error.code === 'shared-folder-mount-failed') {
          throw new TwinboxError(error.code, error.message, { hint: error.hint, details: { ...error.details, retryable: false } });
        }
        throw error;
      }
      return { mounted: shares.length };
    },
  };
}
