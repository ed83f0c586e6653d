import { compareVersions, TwinboxError, type VmRef } from '../../../plugin-api/index.js';
import type { WorkspaceEntry } from '../../workspace/registry.js';

/**
 * What an install does to an installed workspace of the same name:
 * - fresh: nothing is installed under that name.
 * - upgrade: a newer version goes into the store beside the old one; the old VM stays in use
 *   (recorded as `replacing`) until the setup pipeline has set the new one up and calls
 *   completeUpgrade.
 * - overwrite: the same version again (--overwrite, MED-V's OVERWRITEVHD). A VM made from the
 *   old files cannot outlive its base image, so it is removed.
 */
export interface InstallPlan {
  kind: 'fresh' | 'upgrade' | 'overwrite';
  name: string;
  version: string;
  previousVersion?: string;
  /** Recorded on the new entry: the version whose VM stays in use until the new one has set up. */
  replacing?: { version: string; storeDir: string };
  /** Carried over to the new entry: the VM still in use during an upgrade. */
  keep?: { hypervisor?: string; vm?: VmRef };
  /** Removed through its plugin before the new files take the old ones' place. */
  vmToRemove?: { hypervisor: string; vm: VmRef };
  /** Store folders nobody needs once the new entry is written. */
  obsoleteStoreDirs: string[];
  /** What the user must know before it happens, one sentence each. */
  warnings: string[];
}

function guestDataWarning(entry: WorkspaceEntry, vmVersion: string, newVersion: string): string {
  if (!entry.vm) return `no VM of ${entry.name} ${vmVersion} has been set up yet: no guest data is replaced`;
  return (
    `once ${entry.name} ${newVersion} has set up, its new VM replaces the VM of ${vmVersion}: ` +
    `files written inside the guest since its setup (the overlay disk in ${entry.vm.vmDir}) will be lost — copy out what you need first`
  );
}

export function planInstall(entry: WorkspaceEntry | undefined, name: string, version: string, storeDir: string, overwrite: boolean): InstallPlan {
  if (!entry) return { kind: 'fresh', name, version, obsoleteStoreDirs: [], warnings: [] };
  const order = compareVersions(version, entry.version);
  const base = { name, version, previousVersion: entry.version };
  const unlessNew = (dir: string) => (dir === storeDir ? [] : [dir]);

  if (order < 0) {
    throw new TwinboxError('package-downgrade', `${name} ${version} is older than the installed ${entry.version}; downgrades are refused`, {
      exit: 'usage',
      hint: `uninstall first (twinbox uninstall ${name}), then install the older version`,
      details: { name, version, installed: entry.version },
    });
  }
  if (order === 0) {
    if (!overwrite) {
      throw new TwinboxError('package-installed', `${name} ${entry.version} is already installed`, {
        exit: 'usage',
        hint: 'pass --overwrite to install it again (its VM is removed: data written inside the guest is lost)',
        details: { name, version: entry.version },
      });
    }
    if (entry.replacing) {
      return {
        ...base,
        kind: 'overwrite',
        replacing: entry.replacing,
        keep: { hypervisor: entry.hypervisor, vm: entry.vm },
        obsoleteStoreDirs: unlessNew(entry.storeDir),
        warnings: [`${name} ${entry.version} had not set up yet; the VM of ${entry.replacing.version} stays in use until it has`],
      };
    }
    const vmToRemove = entry.vm && entry.hypervisor ? { hypervisor: entry.hypervisor, vm: entry.vm } : undefined;
    return {
      ...base,
      kind: 'overwrite',
      vmToRemove,
      obsoleteStoreDirs: unlessNew(entry.storeDir),
      warnings: vmToRemove
        ? [`--overwrite removes the VM of ${name} ${entry.version} now: files written inside the guest since its setup (the overlay disk in ${vmToRemove.vm.vmDir}) are lost; first-time setup runs again`]
        : [],
    };
  }
  if (entry.replacing) {
    // A pending upgrade that never set up is superseded; the VM in use is still the older one's.
    return {
      ...base,
      kind: 'upgrade',
      replacing: entry.replacing,
      keep: { hypervisor: entry.hypervisor, vm: entry.vm },
      obsoleteStoreDirs: unlessNew(entry.storeDir),
      warnings: [
        `${name} ${entry.version} (not set up yet) is superseded by ${version}`,
        `upgrading ${name} from ${entry.replacing.version} to ${version}: ${guestDataWarning(entry, entry.replacing.version, version)}`,
      ],
    };
  }
  return {
    ...base,
    kind: 'upgrade',
    replacing: { version: entry.version, storeDir: entry.storeDir },
    keep: { hypervisor: entry.hypervisor, vm: entry.vm },
    obsoleteStoreDirs: [],
    warnings: [`upgrading ${name} from ${entry.version} to ${version}: ${guestDataWarning(entry, entry.version, version)}`],
  };
}

/**
 * The plan for the system store: no VM of its own, and no base ever deleted by an install,
 * because users' VMs may still run on an older one (uninstall --system removes them all).
 */
export function sharedStorePlan(plan: InstallPlan): InstallPlan {
  const { replacing: _replacing, keep: _keep, vmToRemove: _vmToRemove, ...rest } = plan;
  const warnings =
    plan.kind === 'fresh'
      ? []
      : [`every user's VM of ${plan.name} is set up again from ${plan.version} when they next use it; files they wrote inside their guest since their setup are lost`];
  return { ...rest, obsoleteStoreDirs: [], warnings };
}
