import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TWINBOX_BIN } from '../helpers/cli.js';

/**
 * Runs the real twinbox with a module loader hook (node's module.register) that writes down
 * every file it imports; returns them with its output.
 */
export async function twinboxLoading(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; files: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'tbx-loaded-'));
  const trace = join(dir, 'loaded.txt');
  const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(trace)}, resolved.url + '\\n');
  return resolved;
}`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  try {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, TWINBOX_BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, out) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: out }),
      );
    });
    let text = '';
    try {
      text = readFileSync(trace, 'utf8');
    } catch {
      // nothing was imported through the hook
    }
    const files = [...new Set(text.split('\n').filter((url) => url.startsWith('file:')))].map((url) => new URL(url).pathname);
    return { code, stdout, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
