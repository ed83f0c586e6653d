/** What the real-QEMU journeys share: their QEMU processes, the guests' console logs, twinbox runs that must succeed. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { twinbox, type CliResult } from '../../helpers/cli.js';

export function qemuPidsUnder(folder: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', 'qemu-system'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder);
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

export function consoleLogs(home: string): string {
  const logs: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'console.log') logs.push(`--- ${path}\n${readFileSync(path, 'utf8').split('\n').slice(-40).join('\n')}`);
    }
  };
  if (existsSync(home)) walk(home);
  return logs.join('\n') || '(no console log)';
}

/** `twinbox ARGS` with TWINBOX_HOME=home (and `env`), which must exit 0 within `timeoutMs`. */
export async function ok(t: ExecutionContext, home: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs?: number): Promise<CliResult> {
  const result = await twinbox(args, { TWINBOX_HOME: home, ...env }, undefined, timeoutMs);
  if (result.exitCode !== 0) t.log(`twinbox ${args.join(' ')} failed:\n${result.stderr}\n${consoleLogs(home)}`);
  t.is(result.exitCode, 0, `twinbox ${args.join(' ')}: ${result.stderr.trim()}`);
  return result;
}

/**
 * A package source folder `home/source` for a real guest on QEMU: `image` copied in as
 * disk.qcow2 and a workspace.json with the usual small VM (256 MiB, one CPU, no network, QEMU
 * only), `manifest` (name, version and whatever the test needs) over it. Returns the folder.
 */
export function qemuSource(home: string, image: string, manifest: { name: string; version?: string } & Record<string, unknown>): string {
  const source = join(home, 'source');
  mkdirSync(source, { recursive: true });
  copyFileSync(image, join(source, 'disk.qcow2'));
  writeFileSync(
    join(source, 'workspace.json'),
    JSON.stringify({
      version: '1.0.0',
      image: { file: 'disk.qcow2', format: 'qcow2', sha256: 'auto' },
      vm: { memoryMiB: 256, cpus: 1, network: 'none' },
      hypervisors: { allowed: ['qemu'] },
      ...manifest,
    }),
  );
  return source;
}
