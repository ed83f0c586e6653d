import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withFileLock, writeFileAtomic } from 'twinbox/plugin-api';

type IndexFile = { vms: Record<string, string> };

/**
 * `<dataDir>/vms.json`: which VM folders this plugin made, by id, so that any process (a second
 * CLI, a test) can find every fake VM without the core's own registry.
 */
export class VmIndex {
  private readonly file: string;

  constructor(private readonly dataDir: string) {
    this.file = join(dataDir, 'vms.json');
  }

  async list(): Promise<Record<string, string>> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as Partial<IndexFile>;
      return typeof parsed.vms === 'object' && parsed.vms !== null ? { ...parsed.vms } : {};
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  async set(id: string, vmDir: string): Promise<void> {
    await this.change((vms) => {
      vms[id] = vmDir;
    });
  }

  async delete(id: string, vmDir: string): Promise<void> {
    await this.change((vms) => {
      // Another VM may have taken the id since; only forget the folder we were asked about.
      if (vms[id] === vmDir) delete vms[id];
    });
  }

  private async change(edit: (vms: Record<string, string>) => void): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    await withFileLock(`${this.file}.lock`, 'index update', async () => {
      const vms = await this.list();
      edit(vms);
      await writeFileAtomic(this.file, `${JSON.stringify({ vms }, null, 2)}\n`);
    }, { waitMs: 5_000, pollMs: 10 });
  }
}
