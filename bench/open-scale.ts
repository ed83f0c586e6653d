import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePaths } from '../src/core/paths.js';
import { WorkspaceRegistry } from '../src/core/workspace/registry.js';
import { benchHome, installForBench, type BenchHome, removeBenchHome } from './installed-home.js';
import { ratio, timeCommandsSideBySide, type BenchResult } from './measure.js';

const BIN = fileURLToPath(new URL('../../bin/twinbox.js', import.meta.url));
const RULES_PER_WORKSPACE = 20;

/** Workspaces whose packages each carry URL rules, as a host with many line-of-business apps has. */
function installWithRules(bench: BenchHome, count: number): void {
  const registry = new WorkspaceRegistry(resolvePaths(bench.env).dataDir);
  for (let index = 0; index < count; index++) {
    const name = `ws-${index}`;
    installForBench(bench, name, 1024 * 1024);
    const manifestFile = join(registry.get(name).storeDir, 'workspace.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
    const urls = Array.from({ length: RULES_PER_WORKSPACE }, (_, rule) => (rule % 2 ? `http://*.app${rule}.ws${index}.example` : `https://portal.ws${index}.example/app${rule}/*`));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, redirection: { urls } }));
  }
}

/**
 * `twinbox open --explain` of a link no rule matches (every rule of every workspace is judged)
 * on a host with 50 workspaces of 20 rules each, against one with a single workspace: what a
 * click on a link costs when twinbox is the browser, as the fleet grows.
 */
export function openScale(rounds: number): BenchResult[] {
  const one = benchHome('tbx-bench-open1-');
  const fifty = benchHome('tbx-bench-open50-');
  try {
    installWithRules(one, 1);
    installWithRules(fifty, 50);
    const link = ['open', '--explain', '--json', 'https://www.example.org/news?id=1'];
    const times = timeCommandsSideBySide(
      [
        { label: 'one', command: process.execPath, args: [BIN, ...link], env: one.env },
        { label: 'fifty', command: process.execPath, args: [BIN, ...link], env: fifty.env },
      ],
      rounds,
    );
    const detail = `${times.get('fifty')!.toFixed(0)} ms vs ${times.get('one')!.toFixed(0)} ms`;
    return [ratio('open --explain: 50 workspaces × 20 rules / 1 workspace', times.get('fifty')!, times.get('one')!, 1.5, detail)];
  } finally {
    removeBenchHome(one.home);
    removeBenchHome(fifty.home);
  }
}
