import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandRunner } from 'twinbox/plugin-api';

interface CachedVersion {
  mtimeMs: number;
  size: number;
  version: string;
}

type CacheFile = Record<string, CachedVersion>;

/** "QEMU emulator version 7.2.22 (Debian …)" / "qemu-img version 8.2.0" → "7.2.22". */
export function parseQemuVersion(output: string): string | undefined {
  return /version\s+(\d+\.\d+(?:\.\d+)?)/i.exec(output)?.[1];
}

/**
 * Tool versions are read once per binary: remembered in memory and in a file keyed by the
 * binary's path, mtime and size, so listing plugins spawns nothing until qemu is upgraded.
 */
export class VersionCache {
  private readonly memory = new Map<string, string>();
  private readonly file: string;
  /** Lookups run one after another so that two of them never overwrite each other's entry. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly runner: CommandRunner,
    cacheDir: string,
  ) {
    this.file = join(cacheDir, 'qemu-tool-versions.json');
  }

  version(binary: string): Promise<string | undefined> {
    const next = this.queue.then(() => this.lookup(binary));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async lookup(binary: string): Promise<string | undefined> {
    let info;
    try {
      info = await stat(binary);
    } catch {
      return undefined;
    }
    const key = `${binary}\0${info.mtimeMs}\0${info.size}`;
    const remembered = this.memory.get(key);
    if (remembered) return remembered;

    const cache = await this.read();
    const cached = cache[binary];
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) {
      this.memory.set(key, cached.version);
      return cached.version;
    }

    const result = await this.runner.run(binary, ['--version'], { timeoutMs: 10_000 });
    const version = parseQemuVersion(result.stdout);
    if (!version) return undefined;
    this.memory.set(key, version);
    cache[binary] = { mtimeMs: info.mtimeMs, size: info.size, version };
    await this.write(cache);
    return version;
  }

  private async read(): Promise<CacheFile> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as CacheFile) : {};
    } catch {
      return {};
    }
  }

  private async write(cache: CacheFile): Promise<void> {
    // A cache that cannot be written only costs a spawn next time.
    try {
      await mkdir(join(this.file, '..'), { recursive: true, mode: 0o700 });
      const temp = `${this.file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(cache, null, 2), { mode: 0o600 });
      await rename(temp, this.file);
    } catch {
      // ignored on purpose
    }
  }
}
