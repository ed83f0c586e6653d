import type { HypervisorPlugin } from '../../plugin-api/index.js';
import type { WorkspaceManifest } from '../package/manifest-schema.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { reasonOf } from '../error-reason.js';
import { ninePShares } from '../redirection/folder-shares.js';
import type { SharedFolder } from '../redirection/shared-folders.js';
import type { DoctorCheck } from './doctor.js';

/** What the doctor needs of an installed workspace to tell its sharing. */
export interface SharingSubject {
  name: string;
  /** The hypervisor setup chose; absent before setup. */
  hypervisor?: string;
  manifest: () => Promise<WorkspaceManifest>;
}

const TSCLIENT = /^\\\\tsclient\\[A-Za-z0-9_-]{1,32}\\?$/i;

function wayOf(folder: SharedFolder, manifest: WorkspaceManifest, hypervisor: HypervisorPlugin, exported: ReadonlySet<string>): { text: string; ok: boolean } {
  if (exported.has(folder.guest)) return { text: `9p export mounted at start${folder.readOnly ? ', read-only' : ''}`, ok: true };
  if (TSCLIENT.test(folder.guest)) {
    return manifest.rdp ? { text: 'RDP drive (FreeRDP /drive:) while RemoteApp windows are open', ok: true } : { text: 'not shared: a \\\\tsclient path needs a guest that offers RDP (the package has no rdp section)', ok: false };
  }
  const note = hypervisor.folderSharing?.note;
  return { text: `not shared by ${hypervisor.displayName}${note ? ` (${note})` : ''}: the package's guest must mount it itself`, ok: false };
}

/**
 * One line per workspace with shared folders: for each folder, how its guest will see it on
 * the workspace's hypervisor (the one setup chose, else the first its package allows here).
 */
export async function sharingChecks(plugins: PluginRegistry, subjects: readonly SharingSubject[]): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const subject of subjects) {
    const check = `sharing ${subject.name}`;
    let manifest: WorkspaceManifest;
    try {
      manifest = await subject.manifest();
    } catch (error) {
      checks.push({ check, status: 'warning', detail: `its package cannot be read: ${reasonOf(error)}` });
      continue;
    }
    if (manifest.sharedFolders.length === 0) continue;
    const name = subject.hypervisor ?? manifest.hypervisors.preferred[0] ?? manifest.hypervisors.allowed[0];
    let hypervisor: HypervisorPlugin | undefined;
    try {
      hypervisor = name ? await plugins.hypervisor(name) : undefined;
    } catch {
      hypervisor = undefined;
    }
    if (!hypervisor) {
      checks.push({ check, status: 'warning', detail: `${manifest.sharedFolders.length} shared folder(s); which way they are shared depends on the hypervisor setup picks${name ? ` (${name} cannot be loaded here)` : ''}` });
      continue;
    }
    const exported = new Set(ninePShares(manifest.sharedFolders, hypervisor).map((share) => share.guest));
    const ways = manifest.sharedFolders.map((folder) => ({ folder, ...wayOf(folder, manifest, hypervisor, exported) }));
    const bad = ways.filter((way) => !way.ok);
    checks.push({
      check,
      status: bad.length === 0 ? 'ok' : 'warning',
      detail: `${hypervisor.displayName}: ${ways.map((way) => `${way.folder.host} → ${way.folder.guest}: ${way.text}`).join('; ')}`,
      ...(bad.length > 0 ? { fix: `use a hypervisor that shares folders (QEMU: 9p), or mount ${bad.map((way) => way.folder.guest).join(', ')} in the guest from the package's setup scripts` } : {}),
    });
  }
  return checks;
}
