import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { MemberSink } from '../package-reader.js';
import { SparseFileWriter } from '../sparse-file-writer.js';
import { syncDir } from './fs-sync.js';

/** Folders in the store that belong to one process: `.staging-<pid>-<random>`, `.trash-<pid>-<random>`. */
const PRIVATE_FOLDER = /^\.(?:staging|trash)-(\d+)-[0-9a-f]+$/;

export function privateFolderName(kind: 'staging' | 'trash'): string {
  return `.${kind}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the staging and trash folders of processes that no longer run (killed, crashed, the
 * machine lost power): an interrupted install leaves nothing else behind. Returns their names.
 */
export async function removeStaleFolders(storeRoot: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(storeRoot);
  } catch {
    return [];
  }
  const stale = names.filter((name) => {
    const match = PRIVATE_FOLDER.exec(name);
    return match !== null && Number(match[1]) !== process.pid && !alive(Number(match[1]));
  });
  for (const name of stale) await rm(join(storeRoot, name), { recursive: true, force: true });
  return stale;
}

/**
 * A folder inside the store where an install unpacks the package before it is checked in
 * full. It lives on the store's file system so that the final step is one rename, and its
 * name carries the pid so that the next install can tell an abandoned one.
 */
export class Staging {
  private readonly open = new Set<SparseFileWriter>();
  private readonly files: string[] = [];
  private readonly dirs = new Set<string>();

  private constructor(readonly dir: string) {
    this.dirs.add(dir);
  }

  /** `shared`: the machine-wide store, which every user reads; a user's own is theirs alone. */
  static async create(storeRoot: string, shared = false): Promise<Staging> {
    await mkdir(storeRoot, { recursive: true, mode: shared ? 0o755 : 0o700 });
    const dir = join(storeRoot, privateFolderName('staging'));
    await mkdir(dir, { mode: 0o700 });
    return new Staging(dir);
  }

  private async prepare(member: string): Promise<string> {
    const path = resolve(this.dir, member);
    if (!path.startsWith(this.dir + sep)) throw new Error(`member ${member} resolves outside the staging folder`);
    for (let parent = dirname(path); parent !== this.dir && !this.dirs.has(parent); parent = dirname(parent)) {
      await mkdir(parent, { recursive: true, mode: 0o755 });
      this.dirs.add(parent);
    }
    this.files.push(path);
    return path;
  }

  async writeFile(member: string, content: Buffer): Promise<void> {
    const sink = await this.sink(member);
    await sink.write(content);
    await sink.close();
  }

  /** A sink that writes the member's bytes (zeros as holes) and flushes them to disk on close. */
  async sink(member: string): Promise<MemberSink> {
    const writer = await SparseFileWriter.create(await this.prepare(member), { mode: 0o600, exclusive: true });
    this.open.add(writer);
    return {
      write: (chunk) => writer.write(chunk),
      close: async () => {
        this.open.delete(writer);
        await writer.close({ sync: true });
      },
    };
  }

  /** Everything read-only (the base image must never change under a linked clone), entries flushed. */
  async seal(): Promise<void> {
    for (const file of this.files) await chmod(file, 0o444);
    for (const dir of this.dirs) {
      await chmod(dir, 0o755);
      await syncDir(dir);
    }
  }

  async discard(): Promise<void> {
    for (const writer of this.open) await writer.abandon();
    this.open.clear();
    await rm(this.dir, { recursive: true, force: true });
  }
}
