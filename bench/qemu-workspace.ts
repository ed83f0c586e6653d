import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, truncateSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { benchHome, installImageForBench, type BenchHome, type BenchInstallOptions, removeBenchHome } from './installed-home.js';
import { median, ratio, type BenchResult } from './measure.js';
import { idleNodeResidency, MiB, mib, residencyOf, statusField, type Residency } from './residency.js';
import { tinyGuestForBench } from './tiny-guest.js';

const BIN = fileURLToPath(new URL('../../bin/twinbox.js', import.meta.url));
const GiB = 1024 ** 3;

function twinbox(bench: BenchHome, ...args: string[]): void {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: bench.env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`twinbox ${args.join(' ')} failed: ${result.stderr.trim()}`);
}

/** The tiny guest as a raw disk of `bytes` (sparse beyond its 32 MiB boot filesystem): a bootable image of any size. */
function tinyGuestOfSize(tinyGuest: string, bytes: number) {
  return {
    file: 'disk.img',
    format: 'raw' as const,
    write: (path: string) => {
      const converted = spawnSync('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', tinyGuest, path], { encoding: 'utf8' });
      if (converted.status !== 0) throw new Error(`qemu-img convert failed: ${converted.stderr.trim()}`);
      truncateSync(path, bytes);
    },
  };
}

function installTinyGuest(bench: BenchHome, name: string, tinyGuest: string, bytes: number, options: BenchInstallOptions = {}): void {
  installImageForBench(bench, name, tinyGuestOfSize(tinyGuest, bytes), { hypervisor: 'qemu', ...options });
}

/**
 * First-time setup (`twinbox reset --yes`: a new qcow2 overlay on the base, boot, agent, guest
 * customisation, app discovery) of the tiny real guest in a 2 GiB image against a 64 MiB one,
 * on QEMU, interleaved; each VM is stopped before the other boots so they never compete.
 */
export function qemuSetupScale(rounds: number): BenchResult[] {
  const tinyGuest = tinyGuestForBench('the QEMU setup benchmark');
  if (!tinyGuest) return [];
  const small = benchHome('tbx-bench-q64m-');
  const large = benchHome('tbx-bench-q2g-');
  try {
    installTinyGuest(small, 'small', tinyGuest, 64 * MiB);
    installTinyGuest(large, 'large', tinyGuest, 2 * GiB);
    const times: Record<'small' | 'large', number[]> = { small: [], large: [] };
    for (let round = 0; round < rounds + 1; round++) {
      for (const [bench, name] of [[small, 'small'], [large, 'large']] as const) {
        const started = performance.now();
        twinbox(bench, 'reset', name, '--yes', '--mode', 'silent');
        // The first round warms the page cache and qemu's binaries.
        if (round > 0) times[name].push(performance.now() - started);
        twinbox(bench, 'stop', name, '--force');
      }
    }
    const largeMs = median(times.large);
    const smallMs = median(times.small);
    return [ratio('QEMU setup (reset) of the real guest: 2 GiB image / 64 MiB image', largeMs, smallMs, 1.2, `${largeMs.toFixed(0)} ms vs ${smallMs.toFixed(0)} ms, linked clones`)];
  } finally {
    for (const [bench, name] of [[small, 'small'], [large, 'large']] as const) {
      spawnSync(process.execPath, [BIN, 'uninstall', name], { env: bench.env, stdio: 'ignore' });
      removeBenchHome(bench.home);
    }
  }
}

/** Processes other than QEMU that carry this bench home in their environment: what twinbox left running. */
function residentTwinboxBytes(bench: BenchHome): { count: number; bytes: number } {
  const marker = `TWINBOX_HOME=${bench.home}\0`;
  let count = 0;
  let bytes = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) continue;
      // QEMU renames its process after the VM (-name …,process=twinbox-ID): go by the binary.
      if (basename(readlinkSync(`/proc/${entry}/exe`)).startsWith('qemu')) continue;
    } catch {
      continue;
    }
    count++;
    bytes += statusField(Number(entry), 'VmRSS') ?? 0;
  }
  return { count, bytes };
}

/**
 * The memory twinbox itself holds while a workspace runs on QEMU: the CLI process during
 * `twinbox run` of an interactive terminal app (a shell fed a command) and of a command app
 * that runs for seconds, and what stays resident once `twinbox start` has returned (nothing
 * should: the VM is QEMU's, and no twinbox daemon exists).
 */
export async function qemuMemory(): Promise<BenchResult[]> {
  const tinyGuest = tinyGuestForBench('the memory benchmark');
  if (!tinyGuest) return [];
  const bench = benchHome('tbx-bench-mem-');
  try {
    installTinyGuest(bench, 'mem', tinyGuest, 64 * MiB, {
      apps: [{ id: 'wait', name: 'Wait', kind: 'command', command: ['/bin/sh', '-c', 'sleep 4; echo waited'] }],
    });
    twinbox(bench, 'setup', 'mem', '--mode', 'silent');
    twinbox(bench, 'stop', 'mem', '--force');
    twinbox(bench, 'start', 'mem');
    const left = residentTwinboxBytes(bench);
    const twinboxRun = (args: string[], input: string) => residencyOf(process.execPath, [BIN, ...args], { env: bench.env, input });
    const terminal = await twinboxRun(['run', 'mem', 'shell', '--quiet'], 'sleep 4; exit 0\n');
    const node = await idleNodeResidency(4000);
    const command = await twinboxRun(['run', 'mem', 'wait', '--quiet'], '');
    const limitMiB = 96;
    const result = (name: string, residency: Residency): BenchResult => {
      const value = mib(residency.medianBytes);
      return { name, value, unit: ' MiB', target: limitMiB, pass: value <= limitMiB, detail: `median RSS while the app ran; peak ${mib(residency.peakBytes)} MiB` };
    };
    const againstNode = (name: string, residency: Residency) =>
      ratio(name, residency.medianBytes, node.medianBytes, 1.5, `median RSS ${mib(residency.medianBytes)} MiB vs ${mib(node.medianBytes)} MiB`);
    return [
      result('memory of the twinbox CLI during `run` of a terminal app', terminal),
      result('memory of the twinbox CLI during `run` of a 4 s command app', command),
      againstNode("memory while `run` bridges a terminal app / node -e 'setInterval(()=>{},1e3)'", terminal),
      againstNode("memory while `run` waits on a command app / node -e 'setInterval(()=>{},1e3)'", command),
      {
        name: 'twinbox processes resident after `start` returned',
        value: mib(left.bytes),
        unit: ' MiB',
        target: 0,
        pass: left.count === 0,
        detail: `${left.count} process(es) besides QEMU`,
      },
    ];
  } finally {
    spawnSync(process.execPath, [BIN, 'uninstall', 'mem'], { env: bench.env, stdio: 'ignore' });
    removeBenchHome(bench.home);
  }
}
