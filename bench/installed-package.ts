import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { againstNode, type BenchResult } from './measure.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The packed tarball installed with `npm install --global` into a fresh prefix, as users get
 * it: its `--version` and `status --json` against `node -e 0`, side by side.
 */
export function installedPackage(rounds: number): BenchResult[] {
  const work = mkdtempSync(join(tmpdir(), 'tbx-bench-pkg-'));
  try {
    const out = join(work, 'pack');
    mkdirSync(out);
    const [info] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: REPO, encoding: 'utf8' })) as { filename: string }[];
    const prefix = join(work, 'prefix');
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(out, info!.filename)], { stdio: 'ignore' });
    const bin = join(prefix, 'bin', 'twinbox');
    const env = { TWINBOX_HOME: join(work, 'home') };
    return againstNode(
      [
        { label: 'version', command: bin, args: ['--version'], env },
        { label: 'status', command: bin, args: ['status', '--json'], env },
      ],
      rounds,
      [
        { label: 'version', name: 'installed package: twinbox --version / node -e 0', target: 1.5 },
        { label: 'status', name: 'installed package: twinbox status --json (no workspace) / node -e 0', target: 2.5 },
      ],
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
