import { expandHome, type SharedFolder } from '../redirection/shared-folders.js';
import type { RdpDrive } from './freerdp-arguments.js';

/** `\\tsclient\NAME`: where an RDP guest sees a drive the client redirects under NAME. */
const TSCLIENT = /^\\\\tsclient\\([A-Za-z0-9_-]{1,32})\\?$/i;

export interface RdpDrivePlan {
  drives: RdpDrive[];
  /** Shared folders meant as RDP drives that FreeRDP cannot take, with why. */
  skipped: Array<{ folder: SharedFolder; reason: string }>;
}

/**
 * The package's shared folders that the guest sees through RDP drive redirection: those whose
 * guest path is `\\tsclient\NAME`, handed to FreeRDP as `/drive:NAME,PATH`. Other shared
 * folders are the guest's own business (virtio-fs, SMB…), as without RDP.
 */
export function rdpDrives(folders: readonly SharedFolder[]): RdpDrivePlan {
  const plan: RdpDrivePlan = { drives: [], skipped: [] };
  for (const folder of folders) {
    const name = TSCLIENT.exec(folder.guest)?.[1];
    if (!name) continue;
    const path = expandHome(folder.host);
    // FreeRDP splits /drive: on commas.
    if (path.includes(',')) plan.skipped.push({ folder, reason: 'FreeRDP cannot redirect a folder whose path has a comma' });
    else plan.drives.push({ name, path });
  }
  return plan;
}
