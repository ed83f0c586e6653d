import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeBenchHome } from './installed-home.js';
import { againstNode, type BenchResult } from './measure.js';

const BIN = fileURLToPath(new URL('../../bin/twinbox.js', import.meta.url));

/** Cold start of the CLI against a bare `node -e 0`, the floor any Node program pays. */
export function coldStart(rounds: number): BenchResult[] {
  const home = mkdtempSync(join(tmpdir(), 'tbx-bench-'));
  try {
    const env = { TWINBOX_HOME: home };
    return againstNode(
      [
        { label: 'version', command: process.execPath, args: [BIN, '--version'], env },
        { label: 'status', command: process.execPath, args: [BIN, 'status', '--json'], env },
        { label: 'plugins', command: process.execPath, args: [BIN, 'plugins', '--json'], env },
      ],
      rounds,
      [
        { label: 'version', name: 'cold start: twinbox --version / node -e 0', target: 1.15 },
        { label: 'status', name: 'cold start: twinbox status --json (no workspace) / node -e 0', target: 1.5 },
        { label: 'plugins', name: 'cold start: twinbox plugins --json / node -e 0', target: 2.5 },
      ],
    );
  } finally {
    removeBenchHome(home);
  }
}
