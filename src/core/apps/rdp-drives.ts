import { statSync } from 'node:fs';
import { expandHome, type SharedFolder } from '../redirection/shared-folders.js';
import { freeRdpDriveProblem, type RdpDrive } from './freerdp-arguments.js';

/** `\\tsclient\NAME`: where an RDP guest sees a drive the client redirects under NAME. */
const TSCLIENT = /^\\\\tsclient\\([A-Za-z0-9_-]{1,32})\\?$/i;

export interface RdpDrivePlan {
  drives: RdpDrive[];
  /** Shared folders meant as RDP drives that this FreeRDP cannot take, with why. */
  skipped: Array<{ folder: SharedFolder; reason: string }>;
}

/**
 * The package's shared folders that the guest sees through RDP drive redirection: those whose
 * guest path is `\\tsclient\NAME`, handed to FreeRDP as `/drive:NAME,PATH`. Other shared
 * folders are the guest's own business (virtio-fs, SMB…), as without RDP. A path this FreeRDP
 * major version cannot spell (freeRdpDriveProblem) is skipped with the reason.
 */
export function rdpDrives(folders: readonly SharedFolder[], major = 3): RdpDrivePlan {
  const plan: RdpDrivePlan = { drives: [], skipped: [] };
  for (const folder of folders) {
    const name = TSCLIENT.exec(folder.guest)?.[1];
    if (!name) continue;
    const drive = { name, path: expandHome(folder.host) };
    const problem = freeRdpDriveProblem(major, drive);
    if (problem) plan.skipped.push({ folder, reason: problem });
    else plan.drives.push(drive);
  }
  return plan;
}

/**
 * The drives whose host folder is missing or not a folder: FreeRDP refuses its whole command
 * line for one (2.11.7 exits 24, COMMAND_LINE_ERROR, and prints its usage), so they are
 * found before it starts.
 */
export function missingDriveFolders(drives: readonly RdpDrive[]): RdpDrive[] {
  return drives.filter((drive) => {
    try {
      return !statSync(drive.path).isDirectory();
    } catch {
      return true;
    }
  });
}
