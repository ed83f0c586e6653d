import { existsSync } from 'node:fs';
import { rmdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isTwinboxError, TwinboxError } from '../../../plugin-api/index.js';
import type { Core } from '../../open-core.js';
import type { TwinboxPaths } from '../../paths.js';
import type { EventCodeName } from '../../events/codes.js';
import { storeRoot, workspaceLayout } from '../../workspace/layout.js';
import { lockHolder } from '../../workspace/lock.js';
import type { WorkspaceEntry } from '../../workspace/registry.js';
import { isNoSpace, packageErrors } from '../errors.js';
import type { WorkspaceManifest } from '../manifest-schema.js';
import { MANIFEST_MEMBER, SIGNATURE_MEMBER, SUMS_MEMBER } from '../package-format.js';
import { readPackage, type PackageMetadata } from '../package-reader.js';
import type { SignatureCheck } from '../signature-check.js';
import { loadTrustPolicy } from '../trust-policy.js';
import { systemDirOf } from '../../system/system-dir.js';
import { findSystemWorkspace } from '../../system/system-registry.js';
import { commitInstall } from './commit.js';
import { checkFreeSpace } from './free-space.js';
import { findInstalled } from './installed-entry.js';
import { planInstall, sharedStorePlan, type InstallPlan } from './install-plan.js';
import { recordPackageEvent } from './package-events.js';
import { checkGuestAgent, findUsableHypervisor, type UsableHypervisor } from './preflight.js';
import { removeStaleFolders, Staging } from './staging.js';
import { crashPoint } from '../../workspace/crash-points.js';

export interface InstallProgress {
  member: string;
  done: number;
  total: number;
}

export interface InstallOptions {
  /** Install the same version again (MED-V's OVERWRITEVHD). */
  overwrite?: boolean;
  signal?: AbortSignal;
  /** Sees the plan and its warnings once the metadata is verified, before anything is written; false cancels the install. */
  confirm?: (plan: InstallPlan) => Promise<boolean> | boolean;
  onProgress?: (progress: InstallProgress) => void;
  /** Free bytes on the store's disk; tests replace it. */
  freeSpace?: (dir: string) => Promise<number>;
  /** Install into the system folder (machine-wide) instead of the user's state folder; the caller has checked the caller is an admin. */
  systemPaths?: TwinboxPaths;
}

export interface InstallResult {
  name: string;
  version: string;
  kind: InstallPlan['kind'];
  previousVersion?: string;
  replacing?: { version: string; storeDir: string };
  storeDir: string;
  imagePath: string;
  /** The first usable hypervisor found among those the package allows. */
  hypervisor: UsableHypervisor;
  signature: SignatureCheck;
  warnings: string[];
  /** Folders of interrupted installs that were cleaned up first. */
  removedStale: string[];
  /** Payload bytes unpacked. */
  bytes: number;
  elapsedMs: number;
}

interface Progress {
  manifest?: WorkspaceManifest;
  plan?: InstallPlan;
  hypervisor?: UsableHypervisor;
  staging?: Staging;
  bytes: number;
}

/**
 * Installs a `.twbx` package, unattended and all-or-nothing. Everything is verified before
 * anything shared changes: structure, schema, sums (computed while the payload streams into a
 * staging folder inside the store), signature, free space, guest-agent plugin, a usable
 * hypervisor. Then the staging folder is renamed into `<store>/<name>/<version>` and the
 * registry entry (setup pending) is written last. A failure, Ctrl-C or kill leaves no trace;
 * the staging folders of killed installs are removed by the next one.
 */
export async function installPackage(core: Core, file: string, options: InstallOptions = {}): Promise<InstallResult> {
  const started = Date.now();
  const shared = options.systemPaths !== undefined;
  const paths = options.systemPaths ?? core.paths;
  const settings = core.settings;
  const store = storeRoot(paths);
  const removedStale = await removeStaleFolders(store);
  const storeExisted = existsSync(store);
  const state: Progress = { bytes: 0 };
  let entry: WorkspaceEntry;
  let metadata: PackageMetadata;
  try {
    const trust = loadTrustPolicy(settings.get('security.requireSignature'), settings.get('security.trustedKeys'));
    metadata = await readPackage(file, {
      trust,
      signal: options.signal,
      hooks: {
        manifest: (manifest) => {
          state.manifest = manifest;
        },
        verified: async (verified) => {
          const { manifest } = verified;
          // What is installed decides first: "already installed" is the answer a distribution
          // system re-running an install needs, whatever else this host lacks.
          const layout = workspaceLayout(paths, manifest.name, manifest.version);
          const plan = planInstall(findInstalled(paths, manifest.name), manifest.name, manifest.version, layout.storeDir, options.overwrite ?? false);
          state.plan = shared ? sharedStorePlan(plan) : plan;
          if (!shared) refuseHidingMachineWide(core, paths, manifest.name);
          const holder = lockHolder(layout.lockFile);
          if (holder) {
            throw new TwinboxError('busy', `workspace "${manifest.name}" is busy: ${holder.operation} by process ${holder.pid} since ${holder.since}`, {
              exit: 'busy',
              hint: 'wait for it to finish, then install again',
            });
          }
          await checkGuestAgent(core, manifest);
          state.hypervisor = await findUsableHypervisor(core, manifest);
          if (options.confirm && !(await options.confirm(state.plan))) {
            throw new TwinboxError('install-declined', `the install of ${manifest.name} ${manifest.version} was not confirmed; nothing changed`, {
              hint: 'pass --unattended to install without questions',
            });
          }
        },
        member: async (member, verified) => {
          if (member.kind === 'image') await checkFreeSpace(store, member.path, member.size, options.freeSpace);
          if (!state.staging) {
            state.staging = await Staging.create(store, shared);
            await state.staging.writeFile(MANIFEST_MEMBER, verified.manifestBytes);
            await state.staging.writeFile(SUMS_MEMBER, verified.sumsBytes);
            if (verified.signatureBytes) await state.staging.writeFile(SIGNATURE_MEMBER, verified.signatureBytes);
          }
          state.bytes += member.size;
          return state.staging.sink(member.path);
        },
        progress: (member, done) => {
          if (member.kind === 'image') options.onProgress?.({ member: member.path, done, total: member.size });
        },
      },
    });
    await state.staging!.seal();
    crashPoint('install:staged');
    entry = await commitInstall(core, paths, metadata.manifest, state.staging!, state.plan!, options.overwrite ?? false, shared);
  } catch (error) {
    await state.staging?.discard();
    if (!storeExisted) await rmdir(store).catch(() => undefined);
    const failure = installError(error, options, store);
    const manifest = state.manifest;
    const installed = manifest ? findInstalled(paths, manifest.name) : undefined;
    recordPackageEvent(
      core,
      'error',
      'packageRejected',
      `install of ${resolve(file)} failed: ${failure instanceof Error ? failure.message : String(failure)}`,
      {
        file: resolve(file),
        ...(isTwinboxError(failure) ? { code: failure.code, exitCode: failure.exitCode } : {}),
        ...(manifest ? { name: manifest.name, version: manifest.version } : {}),
      },
      installed ? workspaceLayout(paths, installed.name, installed.version).eventsFile : undefined,
    );
    throw failure;
  }
  const plan = state.plan!;
  const result: InstallResult = {
    name: entry.name,
    version: entry.version,
    kind: plan.kind,
    ...(plan.previousVersion ? { previousVersion: plan.previousVersion } : {}),
    ...(entry.replacing ? { replacing: entry.replacing } : {}),
    storeDir: entry.storeDir,
    imagePath: entry.imagePath,
    hypervisor: state.hypervisor!,
    signature: metadata.signature,
    warnings: plan.warnings,
    removedStale,
    bytes: state.bytes,
    elapsedMs: Date.now() - started,
  };
  recordPackageEvent(
    core,
    'info',
    installedEvent(plan, shared),
    plan.kind === 'upgrade'
      ? `${entry.name} ${entry.version} installed${shared ? ' machine-wide' : ''} as an upgrade of ${plan.previousVersion}; setup pending`
      : `${entry.name} ${entry.version} installed${shared ? ' machine-wide' : ''}${plan.kind === 'overwrite' ? ' again (--overwrite)' : ''}; setup pending`,
    { file: resolve(file), name: entry.name, version: entry.version, kind: plan.kind, signature: metadata.signature.state, storeDir: entry.storeDir },
    workspaceLayout(paths, entry.name, entry.version).eventsFile,
  );
  return result;
}

/**
 * A user's own workspace would hide the machine-wide one of the same name from them (one they
 * installed before the admin's already does, and may be upgraded), or take the place of their
 * VM of one an admin has since uninstalled.
 */
function refuseHidingMachineWide(core: Core, paths: TwinboxPaths, name: string): void {
  const own = findInstalled(paths, name);
  if (own && own.scope !== 'system') return;
  const env = core.env;
  if (findSystemWorkspace(systemDirOf(env), name)) {
    throw new TwinboxError('workspace-machine-wide', `"${name}" is installed machine-wide; a workspace of your own with that name would hide it`, {
      exit: 'usage',
      hint: `an administrator updates it with \`sudo twinbox install --system FILE\`; or give your package another name`,
    });
  }
  if (own) {
    throw new TwinboxError('workspace-machine-wide', `your VM of the machine-wide workspace "${name}", which an administrator uninstalled, is still here`, {
      exit: 'usage',
      hint: `run \`twinbox uninstall ${name}\` to remove it, then install again`,
    });
  }
}

function installedEvent(plan: InstallPlan, shared: boolean): EventCodeName {
  if (shared) return plan.kind === 'upgrade' ? 'systemWorkspaceUpgraded' : 'systemWorkspaceInstalled';
  return plan.kind === 'upgrade' ? 'packageUpgraded' : 'packageInstalled';
}

function installError(error: unknown, options: InstallOptions, store: string): unknown {
  if (options.signal?.aborted) return packageErrors.cancelled('the install');
  if (isTwinboxError(error)) return error;
  if (isNoSpace(error)) return packageErrors.diskFull(store, 'the disk filled up while the package was unpacked; nothing was installed');
  return error;
}
