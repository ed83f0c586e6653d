import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchHome, installForBench, installManyForBench, removeBenchHome } from './installed-home.js';
import { ratio, timeCommandsSideBySide, type BenchResult } from './measure.js';

const BIN = fileURLToPath(new URL('../../bin/twinbox.js', import.meta.url));
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** `twinbox status --json` of a host with 100 workspaces against one with a single workspace. */
export async function statusScale(rounds: number): Promise<BenchResult[]> {
  const one = benchHome('tbx-bench-1-');
  const hundred = benchHome('tbx-bench-100-');
  try {
    await installManyForBench(one, 1);
    await installManyForBench(hundred, 100);
    const times = timeCommandsSideBySide(
      [
        { label: 'one', command: process.execPath, args: [BIN, 'status', '--json'], env: one.env },
        { label: 'hundred', command: process.execPath, args: [BIN, 'status', '--json'], env: hundred.env },
      ],
      rounds,
    );
    const detail = `${times.get('hundred')!.toFixed(0)} ms vs ${times.get('one')!.toFixed(0)} ms`;
    return [ratio('status --json: 100 workspaces / 1 workspace', times.get('hundred')!, times.get('one')!, 2, detail)];
  } finally {
    removeBenchHome(one.home);
    removeBenchHome(hundred.home);
  }
}

/**
 * First-time setup (`twinbox reset --yes`: a new linked clone of the base, boot, agent, guest
 * customisation, app discovery) of a 4 GiB sparse image against a 64 MiB one, on the fake
 * hypervisor, whose VMs are linked clones: the image's size must not matter.
 */
export async function setupScale(rounds: number): Promise<BenchResult[]> {
  const small = benchHome('tbx-bench-64m-');
  const large = benchHome('tbx-bench-4g-');
  try {
    installForBench(small, 'small', 64 * MiB);
    installForBench(large, 'large', 4 * GiB);
    const times = timeCommandsSideBySide(
      [
        { label: 'small', command: process.execPath, args: [BIN, 'reset', 'small', '--yes', '--mode', 'silent'], env: small.env },
        { label: 'large', command: process.execPath, args: [BIN, 'reset', 'large', '--yes', '--mode', 'silent'], env: large.env },
      ],
      rounds,
      1,
    );
    const detail = `${times.get('large')!.toFixed(0)} ms vs ${times.get('small')!.toFixed(0)} ms`;
    return [ratio('setup (reset) on linked clones: 4 GiB image / 64 MiB image', times.get('large')!, times.get('small')!, 1.2, detail)];
  } finally {
    for (const [bench, name] of [[small, 'small'], [large, 'large']] as const) {
      // Uninstalling removes the fake VM and its guest process.
      spawnSync(process.execPath, [BIN, 'uninstall', name], { env: bench.env, stdio: 'ignore' });
      removeBenchHome(bench.home);
    }
  }
}
