import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, type CommandRunner } from 'twinbox/plugin-api';

/** Whether KVM could start a vCPU, as found during one boot of the host. */
interface KvmVerdict {
  bootId: string;
  works: boolean;
}

interface CachedBinary {
  mtimeMs: number;
  size: number;
  version?: string;
  kvm?: KvmVerdict;
}

type CacheFile = Record<string, CachedBinary>;

/** "QEMU emulator version 7.2.22 (Debian …)" / "qemu-img version 8.2.0" → "7.2.22". */
export function parseQemuVersion(output: string): string | undefined {
  return /version\s+(\d+\.\d+(?:\.\d+)?)/i.exec(output)?.[1];
}

/**
 * Facts about a tool binary are found out once: remembered in memory and in a file keyed by the
 * binary's path, mtime and size, so listing plugins spawns nothing until qemu is upgraded.
 */
export class VersionCache {
  private readonly memory = new Map<string, CachedBinary>();
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
    return this.serially(() =>
      this.remembered(
        binary,
        (entry) => entry.version,
        async () => parseQemuVersion((await this.runner.run(binary, ['--version'], { timeoutMs: 10_000 })).stdout),
        (entry, version) => ({ ...entry, version }),
      ),
    );
  }

  /**
   * Whether `check` found KVM working with this binary during this boot of the host (a kernel
   * module change needs a reboot or a reload, which changes the boot id).
   */
  kvmWorks(binary: string, bootId: string, check: () => Promise<boolean>): Promise<boolean | undefined> {
    return this.serially(() =>
      this.remembered(
        binary,
        (entry) => (entry.kvm?.bootId === bootId ? entry.kvm.works : undefined),
        check,
        (entry, works) => ({ ...entry, kvm: { bootId, works } }),
      ),
    );
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async remembered<T>(
    binary: string,
    pick: (entry: CachedBinary) => T | undefined,
    compute: () => Promise<T | undefined>,
    store: (entry: CachedBinary, value: T) => CachedBinary,
  ): Promise<T | undefined> {
    let info;
    try {
      info = await stat(binary);
    } catch {
      return undefined;
    }
    const key = `${binary}\0${info.mtimeMs}\0${info.size}`;
    const inMemory = this.memory.get(key);
    const known = inMemory && pick(inMemory);
    if (known !== undefined) return known;

    const cache = await this.read();
    const onDisk = cache[binary];
    const current: CachedBinary = onDisk && onDisk.mtimeMs === info.mtimeMs && onDisk.size === info.size ? onDisk : { mtimeMs: info.mtimeMs, size: info.size };
    this.memory.set(key, current);
    const cached = pick(current);
    if (cached !== undefined) return cached;

    const value = await compute();
    if (value === undefined) return undefined;
    const updated = store(current, value);
    this.memory.set(key, updated);
    cache[binary] = updated;
    await this.write(cache);
    return value;
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
      await writeFileAtomic(this.file, JSON.stringify(cache, null, 2), { mode: 0o600, dirMode: 0o700 });
    } catch {
      // ignored on purpose
    }
  }
}
