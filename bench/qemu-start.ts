import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { resolvePaths } from '../src/core/paths.js';
import { benchHome, removeBenchHome, type BenchHome } from './installed-home.js';
import { median, type BenchResult } from './measure.js';
import { tinyGuestForBench } from './tiny-guest.js';

const BIN = fileURLToPath(new URL('../../bin/twinbox.js', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-qemu-boot.js', import.meta.url));

export function twinbox(env: NodeJS.ProcessEnv, ...args: string[]): void {
  const result = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`twinbox ${args.join(' ')} failed: ${result.stderr.trim()}`);
}

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** Kills the QEMU a bare boot left running, through its pid file. */
function killBare(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
  for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) spawnSync('sleep', ['0.05']);
  rmSync(pidFile, { force: true });
}

/**
 * Installs and sets up workspace `bench` of the tiny real guest in `bench`'s home, leaves it
 * stopped, and returns its QEMU configuration (the command line a bare boot repeats).
 */
export function installTinyGuestWorkspace(bench: BenchHome, image: string): { config: string; pidFile: string } {
  const source = join(bench.home, 'source');
  mkdirSync(source);
  copyFileSync(image, join(source, 'disk.qcow2'));
  writeFileSync(
    join(source, 'workspace.json'),
    JSON.stringify({
      name: 'bench',
      version: '1.0.0',
      image: { file: 'disk.qcow2', format: 'qcow2', sha256: 'auto' },
      vm: { memoryMiB: 256, cpus: 1, network: 'none' },
      hypervisors: { allowed: ['qemu'] },
      setup: { copyTimeZone: false },
    }),
  );
  twinbox(bench.env, 'pack', source, '--out', join(bench.home, 'bench.twbx'));
  twinbox(bench.env, 'install', join(bench.home, 'bench.twbx'), '--unattended');
  twinbox(bench.env, 'setup', 'bench', '--mode', 'silent');
  twinbox(bench.env, 'stop', 'bench', '--force');
  const config = join(resolvePaths(bench.env).dataDir, 'workspaces', 'bench', 'vm', 'qemu-vm.json');
  const pidFile = (JSON.parse(readFileSync(config, 'utf8')) as { paths: { pidFile: string } }).paths.pidFile;
  return { config, pidFile };
}

/**
 * `twinbox start` of a stopped, set-up workspace until its guest agent answers, against a bare
 * script that launches the same QEMU command line and polls guest-ping: what twinbox adds to a
 * boot. Needs QEMU and the tiny real guest (built by scripts/build-tiny-guest.sh); skipped
 * otherwise.
 */
export function qemuStart(rounds: number): BenchResult[] {
  const image = tinyGuestForBench('the QEMU start benchmark');
  if (!image) return [];
  const bench = benchHome('tbx-bench-qemu-');
  try {
    const { pidFile, config } = installTinyGuestWorkspace(bench, image);

    const withTwinbox: number[] = [];
    const bare: number[] = [];
    const twinboxRound = () => {
      withTwinbox.push(timed(() => twinbox(bench.env, 'start', 'bench')));
      twinbox(bench.env, 'stop', 'bench', '--force');
    };
    const bareRound = () => {
      bare.push(
        timed(() => {
          const result = spawnSync(process.execPath, [BARE, config], { stdio: 'ignore' });
          if (result.status !== 0) throw new Error('the bare QEMU boot did not reach the guest agent');
        }),
      );
      killBare(pidFile);
    };
    // Which of the two goes first alternates, so that neither always boots after the same
    // kind of shutdown or in the same phase of the machine's load.
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        twinboxRound();
        bareRound();
      } else {
        bareRound();
        twinboxRound();
      }
    }
    const twinboxMs = median(withTwinbox);
    const bareMs = median(bare);
    const value = Math.round((twinboxMs / bareMs) * 100) / 100;
    return [
      {
        name: 'twinbox start to agent ready / bare QEMU + guest-ping script',
        value,
        unit: 'x',
        target: 1.05,
        pass: value <= 1.05,
        detail: `${twinboxMs.toFixed(0)} ms vs ${bareMs.toFixed(0)} ms, software emulation`,
      },
    ];
  } finally {
    spawnSync(process.execPath, [BIN, 'uninstall', 'bench'], { env: bench.env, stdio: 'ignore' });
    removeBenchHome(bench.home);
  }
}
