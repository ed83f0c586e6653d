import { mkdir, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { withFileLock, writeFileAtomic, type FileLockOptions } from '../../plugin-api/index.js';
import { publishedApps } from '../apps/published-apps.js';
import { EventCodes } from '../events/codes.js';
import type { Core } from '../open-core.js';
import { desktopEntry } from './desktop-entry.js';
import { lockFile, readRecord, recordFile, sha256, writeRecord, type IntegrationFile, type IntegrationRecord } from './integration-record.js';
import { shimNames } from './shim-names.js';
import { shimScript, type Launcher } from './shim-script.js';
import { usableWorkspaces } from '../workspace/visible-workspaces.js';
import { crashPoint } from '../workspace/crash-points.js';

export interface ShimsResult {
  binDir: string;
  applicationsDir: string;
  /** The bin folder is on PATH: the shims run by name. */
  binDirOnPath: boolean;
  created: string[];
  updated: string[];
  removed: string[];
  unchanged: string[];
  /** Files left alone: not twinbox's, or changed since twinbox wrote them. */
  skipped: Array<{ path: string; reason: string }>;
}

interface WantedFile extends Omit<IntegrationFile, 'sha256'> {
  content: string;
  mode: number;
}

function services(core: Core) {
  return {
    paths: core.paths,
    env: core.env,
    settings: core.settings,
    events: core.events,
  };
}

/** Where shims go by default: TWINBOX_BIN_DIR, else ~/.local/bin. */
export function defaultBinDir(env: NodeJS.ProcessEnv): string {
  return resolve(env.TWINBOX_BIN_DIR || join(env.HOME || homedir(), '.local', 'bin'));
}

/** Where menu entries go: $XDG_DATA_HOME/applications, else ~/.local/share/applications. */
export function defaultApplicationsDir(env: NodeJS.ProcessEnv): string {
  return resolve(join(env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share'), 'applications'));
}

async function wantedFiles(core: Core, record: IntegrationRecord): Promise<WantedFile[]> {
  const { settings } = services(core);
  if (!settings.get('publishing.enabled')) return [];
  const wanted: WantedFile[] = [];
  for (const entry of usableWorkspaces(core)) {
    const { apps } = await publishedApps(core, entry.name);
    const names = shimNames(entry.name, apps.map((app) => app.id));
    for (const app of apps) {
      const name = names.get(app.id)!;
      const shimPath = join(record.binDir, name);
      const common = { workspace: entry.name, app: app.id };
      wanted.push({ ...common, path: shimPath, kind: 'shim', content: shimScript(record.launcher, entry.name, app.id), mode: 0o700 });
      // Command apps print and exit: a menu entry would flash a window; they are for terminals.
      if (app.kind !== 'command') {
        wanted.push({ ...common, path: join(record.applicationsDir, `twinbox-${name}.desktop`), kind: 'desktop', content: desktopEntry(app, entry.name, shimPath), mode: 0o600 });
      }
    }
  }
  return wanted;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Makes the host files match `wanted`, touching only files twinbox made and that nobody changed since. */
async function apply(core: Core, record: IntegrationRecord, wanted: WantedFile[]): Promise<ShimsResult> {
  const { paths, env, events } = services(core);
  const result: ShimsResult = {
    binDir: record.binDir,
    applicationsDir: record.applicationsDir,
    binDirOnPath: (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && resolve(dir) === record.binDir),
    created: [],
    updated: [],
    removed: [],
    unchanged: [],
    skipped: [],
  };
  const previous = new Map(record.files.map((file) => [file.path, file]));
  const kept: IntegrationFile[] = [];
  for (const file of wanted) {
    const ours = previous.get(file.path);
    previous.delete(file.path);
    const current = await readText(file.path);
    const hash = sha256(file.content);
    if (current !== undefined && current !== file.content && (!ours || sha256(current) !== ours.sha256)) {
      const reason = ours ? 'changed since twinbox wrote it: left alone' : 'a file twinbox did not make is in the way';
      result.skipped.push({ path: file.path, reason });
      events.event('warn', EventCodes.shimConflict, `${file.path}: ${reason}`, { workspace: file.workspace, app: file.app });
      continue;
    }
    if (current === file.content) result.unchanged.push(file.path);
    else {
      await mkdir(file.kind === 'shim' ? record.binDir : record.applicationsDir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(file.path, file.content, { mode: file.mode });
      crashPoint('publish:shim-written');
      (current === undefined ? result.created : result.updated).push(file.path);
      events.event('info', EventCodes.shimCreated, `${current === undefined ? 'made' : 'updated'} ${file.path} for ${file.app} of ${file.workspace}`, { workspace: file.workspace, app: file.app });
    }
    kept.push({ path: file.path, kind: file.kind, workspace: file.workspace, app: file.app, sha256: hash });
  }
  for (const stale of previous.values()) {
    const current = await readText(stale.path);
    if (current === undefined) continue;
    if (sha256(current) !== stale.sha256) {
      result.skipped.push({ path: stale.path, reason: 'changed since twinbox wrote it: left in place' });
      continue;
    }
    await rm(stale.path, { force: true });
    result.removed.push(stale.path);
    events.event('info', EventCodes.shimRemoved, `removed ${stale.path} (${stale.app} of ${stale.workspace} is no longer published)`, { workspace: stale.workspace, app: stale.app });
  }
  await writeRecord(paths, { ...record, files: kept.sort((a, b) => a.path.localeCompare(b.path)) });
  crashPoint('publish:record-written');
  events.event('info', EventCodes.shimsSynced, `host integration in sync: ${result.created.length} made, ${result.updated.length} updated, ${result.removed.length} removed`, {
    created: result.created.length,
    updated: result.updated.length,
    removed: result.removed.length,
    skipped: result.skipped.length,
  });
  return result;
}

export interface PublishShimsOptions {
  binDir?: string;
  applicationsDir?: string;
  launcher: Launcher;
}

/** The lock of the record and the files it lists: one change of them at a time. */
const HOST_INTEGRATION_LOCK: FileLockOptions = { what: 'the host integration (shims and menu entries)' };

/** `twinbox publish --shims`: turns host integration on (or moves it) and brings it in sync. */
export async function publishShims(core: Core, options: PublishShimsOptions): Promise<ShimsResult> {
  const { paths, env } = services(core);
  return withFileLock(lockFile(paths), 'publish --shims', async () => {
    const previous = await readRecord(paths);
    const record: IntegrationRecord = {
      binDir: resolve(options.binDir ?? defaultBinDir(env)),
      applicationsDir: resolve(options.applicationsDir ?? defaultApplicationsDir(env)),
      launcher: options.launcher,
      files: previous?.files ?? [],
    };
    return apply(core, record, await wantedFiles(core, record));
  }, HOST_INTEGRATION_LOCK);
}

/**
 * Brings the shims and menu entries in line with the app catalogs: new apps get them, renamed
 * ones are rewritten, removed ones (and those of uninstalled workspaces) go. Does nothing when
 * the user never ran `twinbox publish --shims`. The host agent calls it after each catalog refresh.
 */
export async function syncShims(core: Core): Promise<ShimsResult | undefined> {
  const { paths } = services(core);
  return withFileLock(lockFile(paths), 'sync of shims', async () => {
    const record = await readRecord(paths);
    if (!record) return undefined;
    return apply(core, record, await wantedFiles(core, record));
  }, HOST_INTEGRATION_LOCK);
}

/** Removes the shims and entries twinbox made: all of them (host integration off), or one workspace's. */
export async function removeShims(core: Core, workspace?: string): Promise<ShimsResult | undefined> {
  const { paths } = services(core);
  return withFileLock(lockFile(paths), 'removal of shims', async () => {
    const record = await readRecord(paths);
    if (!record) return undefined;
    const wanted = workspace === undefined ? [] : (await wantedFiles(core, record)).filter((file) => file.workspace !== workspace);
    const result = await apply(core, record, wanted);
    if (workspace === undefined) await rm(recordFile(paths), { force: true });
    return result;
  }, HOST_INTEGRATION_LOCK);
}

/**
 * After an uninstall: the workspace's shims and menu entries go. A failure is logged, not
 * thrown — the workspace is gone by then, and the next sync removes what is left.
 */
export async function removeUninstalledShims(core: Core, workspace: string): Promise<string[]> {
  try {
    return (await removeShims(core, workspace))?.removed ?? [];
  } catch (error) {
    core.events.event('warn', EventCodes.shimsSyncFailed, `the shims of ${workspace} were not removed: ${(error as Error).message}`);
    return [];
  }
}
