import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TwinboxError, writeFileAtomic } from '../../plugin-api/index.js';

/**
 * Writes a metrics file as node_exporter's textfile collector requires: the whole text into a
 * temporary file beside it (a name the collector ignores, as it reads only `*.prom`), flushed,
 * then renamed over the target, so a scrape never sees half a file. Readable by all (0644):
 * node_exporter runs as its own user, and the metrics hold no secrets.
 */
export async function writeTextfile(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  if (await stat(file).then((found) => found.isDirectory(), () => false)) {
    throw new TwinboxError('metrics-path-is-folder', `cannot write the metrics to ${file}: it is a folder`, {
      hint: `give a file in it, such as ${file.replace(/\/$/, '')}/twinbox.prom`,
      exit: 'usage',
    });
  }
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new TwinboxError('metrics-folder-missing', `cannot write ${file}: the folder ${dir} does not exist`, {
      hint: "create it, or give the path of node_exporter's --collector.textfile.directory",
      exit: 'usage',
    });
  }
  try {
    await writeFileAtomic(file, text, { mode: 0o644 });
  } catch (error) {
    throw new TwinboxError('metrics-unwritable', `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'check the folder permissions and free space',
      cause: error,
    });
  }
}
