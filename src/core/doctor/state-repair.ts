import { existsSync, lstatSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { acquireFileLock, isTwinboxError, processAlive, type HeldLock } from '../../plugin-api/index.js';
import { sweepDeadTemporaries, TEMPORARY_NAME } from '../../plugin-api/temp-sweep.js';
import { storedManifestIdentity } from '../package/manifest-rules.js';
import { removeStaleFolders } from '../package/install/staging.js';
import type { TwinboxPaths } from '../paths.js';
import { ensurePrivateRuntimeDir, markAndSweepRuntimeDirs } from '../private-runtime-dir.js';
import { storeRoot, workspaceLayout, workspacesRoot } from '../workspace/layout.js';
import { acquireLock, lockHolder } from '../workspace/lock.js';
import { ENTRY_RECORD_FILE } from '../workspace/registry-record.js';
import { WorkspaceRegistry } from '../workspace/registry.js';

/**
 * What `twinbox doctor` finds wrong with the state files, and what `doctor --repair` does about
 * it. A repair never deletes what a user made: a damaged file is renamed aside
 * (`FILE.corrupt-<time>`, as the settings and registry stores do) and its documented recovery
 * applies; only twinbox's own leftovers of dead processes (temporary files, staging folders of
 * killed installs, empty runtime folders of removed homes) are removed.
 */
export interface StateFinding {
  /** What kind of state: settings, registry, entry-copy, app-usage, host-integration, policy-cache, journal, health, setup-status, maintenance, guest-os, catalog, temporary, staging, runtime, interrupted-setup. */
  kind: string;
  file: string;
  workspace?: string;
  /** What is wrong. */
  problem: string;
  /**
   * repaired: put right now; damaged: left as it is (`action` says how to fix it; without
   * --repair, also what --repair does); busy: another process holds the lock the repair needs;
   * resumable: not damaged, left for the command that resumes it.
   */
  status: 'repaired' | 'damaged' | 'busy' | 'resumable';
  /** What was done, or what to do. */
  action: string;
  backupPath?: string;
}

const MAX_STATE_BYTES = 16 * 1024 * 1024;

type Shape = (value: unknown) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const anyObject: Shape = isObject;

/** Each state file, with the shape a reader needs and its recovery (the sentence said once it is renamed aside). */
interface StateFile {
  kind: string;
  file: string;
  workspace?: string;
  shape: Shape;
  /** What happens once it is aside; undefined: it cannot be rebuilt here (`fix` says how). */
  recovery?: string;
  fix?: string;
}

/** Why the file cannot be used, or undefined when it can (or is absent: absence is each reader's "nothing recorded"). */
function damage(path: string, shape: Shape): string | undefined {
  const info = lstatSync(path, { throwIfNoEntry: false });
  if (!info) return undefined;
  if (!info.isFile()) return 'it is not a regular file';
  if (info.size > MAX_STATE_BYTES) return `it is ${info.size} bytes, more than a state file ever holds`;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return info.size === 0 ? 'it is empty' : `it is not JSON (${(error as Error).message.split('\n')[0]})`;
  }
  return shape(value) ? undefined : 'its content is not what twinbox writes there';
}

function stamp(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-');
}

function aside(path: string, now: number): string {
  let backup = `${path}.corrupt-${stamp(now)}`;
  for (let n = 2; existsSync(backup); n++) backup = `${path}.corrupt-${stamp(now)}-${n}`;
  renameSync(path, backup);
  return backup;
}

function busyFinding(file: StateFile, problem: string, error: unknown): StateFinding {
  return { kind: file.kind, file: file.file, ...(file.workspace ? { workspace: file.workspace } : {}), problem, status: 'busy', action: `${(error as Error).message}: run \`twinbox doctor --repair\` again once it is done` };
}

/** Holds `lock` (the file's writers' lock) while `body` runs; a lock someone holds is "busy", not waited for. */
function underLock<T>(take: () => HeldLock, body: () => T): T {
  const lock = take();
  try {
    return body();
  } finally {
    lock.release();
  }
}

function checkFile(file: StateFile, repair: boolean, now: number, lock?: () => HeldLock): StateFinding | undefined {
  const problem = damage(file.file, file.shape);
  if (!problem) return undefined;
  const base = { kind: file.kind, file: file.file, ...(file.workspace ? { workspace: file.workspace } : {}), problem };
  if (!file.recovery) return { ...base, status: 'damaged', action: file.fix ?? 'see the README (Reliability)' };
  if (!repair && file.kind === 'settings') return { ...base, status: 'damaged', action: `every command (this one too) keeps it aside as ${file.file}.corrupt-<time>; then ${file.recovery}` };
  if (!repair) return { ...base, status: 'damaged', action: `\`twinbox doctor --repair\` keeps it aside as ${file.file}.corrupt-<time>; then ${file.recovery}` };
  try {
    const backupPath = lock ? underLock(lock, () => (damage(file.file, file.shape) ? aside(file.file, now) : undefined)) : aside(file.file, now);
    if (!backupPath) return undefined; // a writer replaced it meanwhile
    return { ...base, status: 'repaired', action: `kept aside as ${backupPath}; ${file.recovery}`, backupPath };
  } catch (error) {
    if (isTwinboxError(error) && error.exit === 'busy') return busyFinding(file, problem, error);
    throw error;
  }
}

function workspaceNames(paths: TwinboxPaths): string[] {
  try {
    return readdirSync(workspacesRoot(paths), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/** The dead writers' temporary files in `dir`, as the sweep would find them (read only). */
function deadTemporaries(dir: string, now: number): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => {
    const match = TEMPORARY_NAME.exec(name);
    if (!match || processAlive(Number(match[1]))) return false;
    const info = lstatSync(join(dir, name), { throwIfNoEntry: false });
    return info !== undefined && now - info.mtimeMs >= 60_000;
  });
}

function temporaries(dirs: string[], repair: boolean, now: number): StateFinding[] {
  const findings: StateFinding[] = [];
  for (const dir of dirs) {
    const names = repair ? sweepDeadTemporaries(dir, now) : deadTemporaries(dir, now);
    for (const name of names) {
      findings.push({
        kind: 'temporary',
        file: join(dir, name),
        problem: 'a temporary file of a write whose process died',
        status: repair ? 'repaired' : 'damaged',
        action: repair ? 'removed (the file it was to replace is whole)' : '`twinbox doctor --repair` removes it (the next write into its folder does too)',
      });
    }
  }
  return findings;
}

const isJournal: Shape = (value) => isObject(value) && value.format === 1 && typeof value.workspace === 'string' && typeof value.version === 'string' && isObject(value.steps);
const isHealth: Shape = (value) => isObject(value) && typeof value.checkedAt === 'string' && typeof value.reachable === 'boolean';
const isUsage: Shape = (value) => isObject(value) && value.version === 1 && isObject(value.apps);
const isIntegration: Shape = (value) => isObject(value) && typeof value.binDir === 'string' && typeof value.applicationsDir === 'string' && Array.isArray(value.files);
const isPolicyCache: Shape = (value) => isObject(value) && isObject(value.dirs);
const isRegistry: Shape = (value) => isObject(value) && (value.workspaces === undefined || isObject(value.workspaces));
const isCatalog: Shape = (value) => isObject(value) && Array.isArray(value.apps);
const isEntryCopy: Shape = (value) => isObject(value) && typeof value.name === 'string' && typeof value.version === 'string' && typeof value.storeDir === 'string';

export interface StateReport {
  findings: StateFinding[];
  /** Every finding put right, or nothing was wrong. */
  whole: boolean;
  /** A repair needed a lock another process holds. */
  busy: boolean;
}

/**
 * Checks every state file of this home; with `repair`, puts right what needs no one's answer,
 * each under the lock its writers take. Runs before the composition root is opened, because
 * opening it sweeps and rebuilds some of these things silently.
 */
export async function inspectState(paths: TwinboxPaths, options: { repair: boolean; now?: number }): Promise<StateReport> {
  const repair = options.repair;
  const now = options.now ?? Date.now();
  const findings: StateFinding[] = [];
  const push = (finding: StateFinding | undefined) => finding && findings.push(finding);
  const data = paths.dataDir;

  // Temporary files first: a sweep never touches a file a live process writes.
  const names = workspaceNames(paths);
  findings.push(...temporaries([paths.configDir, data, ...names.map((name) => join(workspacesRoot(paths), name))], repair, now));

  push(
    checkFile(
      { kind: 'settings', file: join(paths.configDir, 'settings.json'), shape: anyObject, recovery: 'your settings are back to their defaults (machine policy still applies); copy what you need from the backup with `twinbox config set`' },
      repair,
      now,
      () => acquireFileLock(join(paths.configDir, 'settings.lock'), 'doctor --repair', { what: 'the settings' }),
    ),
  );

  // The registry: conf-store keeps a damaged one aside and the registry rebuilds itself from the
  // workspace folders, under its own lock.
  const registryFile = join(data, 'registry.json');
  const registryDamage = damage(registryFile, isRegistry);
  const missingWithWorkspaces = !existsSync(registryFile) && names.length > 0;
  if (registryDamage || missingWithWorkspaces) {
    const problem = registryDamage ?? 'it is missing while workspace folders are there';
    if (!repair) {
      findings.push({ kind: 'registry', file: registryFile, problem, status: 'damaged', action: '`twinbox doctor --repair` keeps it aside and rebuilds it from the workspace folders (so does any command)' });
    } else {
      const lock = () => acquireFileLock(join(data, 'registry.lock'), 'doctor --repair', { what: 'the workspace registry', waitMs: 10_000 });
      const keptAside = registryDamage ? underLock(lock, () => (damage(registryFile, isRegistry) ? aside(registryFile, now) : undefined)) : undefined;
      const registry = new WorkspaceRegistry(data);
      const rebuilt = registry.rebuilt;
      const backupPath = keptAside ?? registry.recovered?.backupPath;
      findings.push({
        kind: 'registry',
        file: registryFile,
        problem,
        status: 'repaired',
        action: `${backupPath ? `kept aside as ${backupPath}; ` : ''}rebuilt from the workspace folders: ${rebuilt?.entries.map((entry) => entry.entry.name).join(', ') || 'none found'}`,
        ...(backupPath ? { backupPath } : {}),
      });
    }
  }

  const registered = !damage(registryFile, isRegistry) && existsSync(registryFile) ? (JSON.parse(readFileSync(registryFile, 'utf8')) as { workspaces?: Record<string, { version: string; storeDir?: string; uninstalling?: unknown; setup?: { state?: string; step?: string } }> }).workspaces ?? {} : {};

  push(checkFile({ kind: 'app-usage', file: join(data, 'app-usage.json'), shape: isUsage, recovery: 'the app menu counts launches from zero again' }, repair, now, () => acquireFileLock(join(data, 'app-usage.json.lock'), 'doctor --repair', { what: 'the app usage record' })));
  push(
    checkFile(
      {
        kind: 'host-integration',
        file: join(data, 'host-integration.json'),
        shape: isIntegration,
        recovery: '`twinbox publish --shims` (with the --bin-dir and --applications-dir you used, as in the backup) takes back the shims and menu entries it made that nobody changed',
      },
      repair,
      now,
      () => acquireFileLock(join(data, 'host-integration.lock'), 'doctor --repair', { what: 'the host integration' }),
    ),
  );
  push(checkFile({ kind: 'policy-cache', file: join(data, 'policy-last-good.json'), shape: isPolicyCache, recovery: 'the next read of the machine policy records its good files again' }, repair, now));

  for (const name of names) {
    const version = registered[name]?.version;
    const layout = workspaceLayout(paths, name, version ?? '0');
    const lock = () => acquireLock(layout.lockFile, name, 'doctor --repair');
    const files: StateFile[] = [
      { kind: 'journal', workspace: name, file: layout.journalFile, shape: isJournal, recovery: `the next \`twinbox setup ${name}\` runs its steps again (each step is safe to repeat)` },
      { kind: 'health', workspace: name, file: join(layout.workspaceDir, 'agent-health.json'), shape: isHealth, recovery: 'the host agent writes it again at its next check' },
      { kind: 'setup-status', workspace: name, file: layout.statusFile, shape: anyObject, recovery: 'it is written again at the next setup' },
      { kind: 'maintenance', workspace: name, file: join(layout.workspaceDir, 'maintenance.json'), shape: anyObject, recovery: 'the next maintenance window starts its record again' },
      { kind: 'guest-os', workspace: name, file: join(layout.workspaceDir, 'guest-os.json'), shape: anyObject, recovery: 'the guest agent reports it again at the next start' },
      { kind: 'catalog', workspace: name, file: join(layout.workspaceDir, 'apps.json'), shape: isCatalog, fix: `run \`twinbox apps ${name} --refresh\`: it asks the guest again (doctor starts no VM)` },
    ];
    for (const file of files) push(checkFile(file, repair, now, lock));

    // The workspace's own copy of its registry entry is what a lost registry is rebuilt from.
    const copy = join(layout.workspaceDir, ENTRY_RECORD_FILE);
    const copyDamage = damage(copy, isEntryCopy) ?? (version !== undefined && !existsSync(copy) ? 'it is missing' : undefined);
    if (copyDamage && version !== undefined) {
      if (!repair) findings.push({ kind: 'entry-copy', workspace: name, file: copy, problem: copyDamage, status: 'damaged', action: '`twinbox doctor --repair` writes it again from the registry' });
      else {
        try {
          const backupPath = existsSync(copy) ? underLock(lock, () => aside(copy, now)) : undefined;
          new WorkspaceRegistry(data).update(name, (entry) => entry);
          findings.push({ kind: 'entry-copy', workspace: name, file: copy, problem: copyDamage, status: 'repaired', action: `${backupPath ? `kept aside as ${backupPath}; ` : ''}written again from the registry`, ...(backupPath ? { backupPath } : {}) });
        } catch (error) {
          if (!(isTwinboxError(error) && error.exit === 'busy')) throw error;
          findings.push(busyFinding({ kind: 'entry-copy', workspace: name, file: copy, shape: isEntryCopy }, copyDamage, error));
        }
      }
    }

    // A setup that died: its journal is left as it is, for `twinbox setup` to resume.
    const setup = registered[name]?.setup;
    if (setup?.state === 'running' && !lockHolder(layout.lockFile) && !damage(layout.journalFile, isJournal)) {
      findings.push({
        kind: 'interrupted-setup',
        workspace: name,
        file: layout.journalFile,
        problem: `first-time setup was interrupted${setup.step ? ` at step ${setup.step}` : ''}`,
        status: 'resumable',
        action: `left as it is: \`twinbox setup ${name}\` (or \`twinbox start ${name}\`) resumes it after the steps it finished`,
      });
    }
  }

  // An entry whose package is gone from the store: an `install --overwrite` killed between
  // moving the installed folder aside and putting the new one in its place left it in a trash
  // folder, from which it is put back; otherwise the package must be installed again.
  const store = storeRoot(paths);
  const restorable = new Set<string>();
  for (const [name, entry] of Object.entries(registered)) {
    const storeDir = entry.storeDir;
    if (typeof storeDir !== 'string' || existsSync(join(storeDir, 'workspace.json')) || entry.uninstalling) continue;
    const problem = `the package of ${name} ${entry.version} is missing from the store`;
    const trash = staleFolders(store).find((folder) => folder.startsWith('.trash-') && sameIdentity(join(store, folder, 'workspace.json'), name, entry.version));
    const base = { kind: 'package', workspace: name, file: storeDir, problem };
    if (trash) restorable.add(trash);
    if (!trash) {
      findings.push({ ...base, status: 'damaged', action: `install it again (\`twinbox install FILE --overwrite\`), or remove the workspace (\`twinbox uninstall ${name} --force\`)` });
    } else if (!repair) {
      findings.push({ ...base, status: 'damaged', action: `\`twinbox doctor --repair\` puts it back from ${join(store, trash)}, where a killed \`install --overwrite\` left it` });
    } else {
      try {
        underLock(() => acquireLock(workspaceLayout(paths, name, entry.version).lockFile, name, 'doctor --repair'), () => {
          if (!existsSync(storeDir)) renameSync(join(store, trash), storeDir);
        });
        findings.push({ ...base, status: 'repaired', action: `put back from ${join(store, trash)}, where a killed \`install --overwrite\` left it` });
      } catch (error) {
        if (!(isTwinboxError(error) && error.exit === 'busy')) throw error;
        findings.push(busyFinding({ kind: 'package', workspace: name, file: storeDir, shape: anyObject }, problem, error));
      }
    }
  }

  // Staging and trash folders of installs that were killed: never referred to by any entry.

  // A trash folder that a busy workspace's restore still needs is not swept with the others.
  if (repair && !findings.some((finding) => finding.kind === 'package' && finding.status === 'busy')) {
    for (const name of await removeStaleFolders(store)) {
      findings.push({ kind: 'staging', file: join(store, name), problem: 'the unpacked files of an install whose process died', status: 'repaired', action: 'removed (no workspace refers to it)' });
    }
  } else if (!repair) {
    for (const name of staleFolders(store).filter((folder) => !restorable.has(folder))) {
      findings.push({ kind: 'staging', file: join(store, name), problem: 'the unpacked files of an install whose process died', status: 'damaged', action: '`twinbox doctor --repair` removes it (the next install does too)' });
    }
  }

  if (repair) {
    try {
      ensurePrivateRuntimeDir(paths.runtimeDir);
      for (const dir of markAndSweepRuntimeDirs(paths.runtimeDir, paths.dataDir, now)) {
        findings.push({ kind: 'runtime', file: dir, problem: 'the runtime folder of a state folder that is gone', status: 'repaired', action: 'removed (it held nothing)' });
      }
    } catch (error) {
      findings.push({ kind: 'runtime', file: paths.runtimeDir, problem: (error as Error).message, status: 'damaged', action: 'see `twinbox doctor` (runtime folder)' });
    }
  }

  const busy = findings.some((finding) => finding.status === 'busy');
  const whole = findings.every((finding) => finding.status === 'repaired' || finding.status === 'resumable');
  return { findings, whole, busy };
}

function sameIdentity(manifest: string, name: string, version: string): boolean {
  try {
    const identity = storedManifestIdentity(JSON.parse(readFileSync(manifest, 'utf8')));
    return identity?.name === name && identity.version === version;
  } catch {
    return false;
  }
}

/** The staging and trash folders' names (install/staging.ts), with the pid of the install that made them. */
const PRIVATE_FOLDER = /^\.(?:staging|trash)-(\d+)-[0-9a-f]+$/;

function staleFolders(store: string): string[] {
  try {
    return readdirSync(store).filter((name) => {
      const match = PRIVATE_FOLDER.exec(name);
      return match !== null && !processAlive(Number(match[1]));
    });
  } catch {
    return [];
  }
}
