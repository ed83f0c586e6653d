import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeBenchHome } from './installed-home.js';
import { ratio, timeCommandsSideBySide, type BenchResult } from './measure.js';

const BIN = fileURLToPath(new URL('../../bin/twinbox.js', import.meta.url));

/** Cold start of the CLI against a bare `node -e 0`, the floor any Node program pays. */
export function coldStart(rounds: number): BenchResult[] {
  const home = mkdtempSync(join(tmpdir(), 'tbx-bench-'));
  try {
    const env = { TWINBOX_HOME: home };
    const times = timeCommandsSideBySide(
      [
        { label: 'node', command: process.execPath, args: ['-e', '0'] },
        { label: 'version', command: process.execPath, args: [BIN, '--version'], env },
        { label: 'plugins', command: process.execPath, args: [BIN, 'plugins', '--json'], env },
      ],
      rounds,
    );
    const node = times.get('node')!;
    const ms = (label: string) => `${times.get(label)!.toFixed(0)} ms vs node -e 0 ${node.toFixed(0)} ms`;
    return [
      ratio('cold start: twinbox --version / node -e 0', times.get('version')!, node, 1.5, ms('version')),
      ratio('cold start: twinbox plugins --json / node -e 0', times.get('plugins')!, node, 2.5, ms('plugins')),
    ];
  } finally {
    removeBenchHome(home);
  }
}
