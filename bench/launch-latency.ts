/**
 * Launch latency, the figure an end user feels: `twinbox run WS APP` of a command app on a
 * running workspace (the tiny real guest on QEMU), from the process's start to the first byte
 * of the app's output, beside the same command through `ssh` with a warm shared connection to a
 * real sshd on loopback, and beside a bare guest-exec round trip (the guest agent's socket
 * driven directly, no twinbox). Interleaved rounds, medians.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { resolvePaths } from '../src/core/paths.js';
import { startSshd, whyNoSshd } from '../test/helpers/sshd.js';
import { benchHome, installImageForBench, removeBenchHome } from './installed-home.js';
import { median, ratio, spread, type BenchResult } from './measure.js';
import { tinyGuestForBench } from './tiny-guest.js';

const BIN = fileURLToPath(new URL('../../bin/twinbox.js', import.meta.url));

/** Milliseconds from spawning `command` to the first byte on its standard output. */
function firstByte(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first: number | undefined;
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.once('data', () => {
      first = performance.now() - started;
    });
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && first !== undefined ? resolve(first) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.trim()}`))));
  });
}

/** A guest-exec of `/bin/echo hi` straight through the agent's socket: connect, sync, exec, poll every 10 ms until output. */
function bareGuestExec(socket: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const connection = createConnection(socket);
    let buffer = '';
    let pid: number | undefined;
    let synced = false;
    const send = (message: object) => connection.write(`${JSON.stringify(message)}\n`);
    const fail = (error: Error) => {
      connection.destroy();
      reject(error);
    };
    connection.on('error', fail);
    connection.on('connect', () => {
      connection.write(Buffer.from([0xff]));
      send({ execute: 'guest-sync-delimited', arguments: { id: 4711 } });
    });
    connection.on('data', (chunk) => {
      buffer += chunk.toString('latin1').replace(/\xff/g, '');
      for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 1);
        if (line === '') continue;
        const reply = JSON.parse(line) as { return?: { pid?: number; exited?: boolean; 'out-data'?: string } | number; error?: { desc: string } };
        // The 0xff that resets the agent's parser is answered with a parse error: expected, before the sync.
        if (reply.error && !synced) continue;
        if (reply.error) return fail(new Error(reply.error.desc));
        if (reply.return === 4711) synced = true;
        if (reply.return === 4711) send({ execute: 'guest-exec', arguments: { path: '/bin/echo', arg: ['hi'], 'capture-output': true } });
        else if (typeof reply.return === 'object' && reply.return.pid !== undefined && pid === undefined) {
          pid = reply.return.pid;
          send({ execute: 'guest-exec-status', arguments: { pid } });
        } else if (typeof reply.return === 'object' && reply.return.exited && reply.return['out-data']) {
          connection.end();
          resolve(performance.now() - started);
        } else setTimeout(() => send({ execute: 'guest-exec-status', arguments: { pid } }), 10);
      }
    });
  });
}

function agentSocket(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const root = join(resolvePaths(env).runtimeDir, 'qemu', name);
  if (!existsSync(root)) return undefined;
  return readdirSync(root).includes('ch0.sock') ? join(root, 'ch0.sock') : undefined;
}

export async function launchLatency(rounds: number): Promise<BenchResult[]> {
  const tinyGuest = tinyGuestForBench('the launch latency benchmark');
  if (!tinyGuest) return [];
  const noSshd = whyNoSshd();
  const bench = benchHome('tbx-bench-launch-');
  const teardowns: Array<() => void | Promise<void>> = [];
  const control = mkdtempSync(join(tmpdir(), 'tbx-ssh-'));
  try {
    installImageForBench(
      bench,
      'launch',
      { file: 'disk.qcow2', format: 'qcow2', write: (path) => copyFileSync(tinyGuest, path) },
      { hypervisor: 'qemu', apps: [{ id: 'echo', name: 'Echo', kind: 'command', command: ['/bin/echo', 'hi'] }] },
    );
    const must = (args: string[]) => {
      const result = spawnSync(process.execPath, [BIN, ...args], { env: bench.env, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`twinbox ${args.join(' ')}: ${result.stderr.trim()}`);
    };
    must(['setup', 'launch', '--mode', 'silent']);
    must(['start', 'launch']);
    const socket = agentSocket(bench.env, 'launch');
    const samples: Record<'twinbox' | 'ssh' | 'bare', number[]> = { twinbox: [], ssh: [], bare: [] };
    let sshArgs: string[] | undefined;
    if (!noSshd) {
      const host = await startSshd({ teardown: (fn) => void teardowns.push(fn) });
      const controlPath = join(control, 'c');
      sshArgs = ['-i', host.identityFile, '-o', `UserKnownHostsFile=${host.knownHostsFile}`, '-o', 'BatchMode=yes', '-o', 'ControlMaster=auto', '-o', `ControlPath=${controlPath}`, '-o', 'ControlPersist=60', '-p', String(host.port), `${host.user.name}@127.0.0.1`, 'echo', 'hi'];
      await firstByte('ssh', sshArgs, process.env); // opens the shared connection
    } else process.stderr.write(`launch latency: no ssh peer: ${noSshd}\n`);
    for (let round = 0; round < rounds + 2; round++) {
      const twinbox = await firstByte(process.execPath, [BIN, 'run', 'launch', 'echo'], bench.env);
      const ssh = sshArgs ? await firstByte('ssh', sshArgs, process.env) : undefined;
      const bare = socket ? await bareGuestExec(socket) : undefined;
      if (round < 2) continue; // warm-up: page cache, the guest's own caches
      samples.twinbox.push(twinbox);
      if (ssh !== undefined) samples.ssh.push(ssh);
      if (bare !== undefined) samples.bare.push(bare);
    }
    const ours = median(samples.twinbox);
    const results: BenchResult[] = [
      { name: 'launch latency: `twinbox run` of a command app on the running tiny QEMU guest, start to first byte of output', value: Math.round(ours), unit: ' ms', target: 300, pass: ours <= 300, detail: spread(samples.twinbox) },
    ];
    if (samples.ssh.length > 0) {
      const ssh = median(samples.ssh);
      results.push(ratio('launch latency: `twinbox run` / `ssh` with a warm shared connection, the same command (real sshd on loopback)', ours, ssh, 1.0, `${Math.round(ours)} ms vs ${Math.round(ssh)} ms (${spread(samples.ssh)})`));
    }
    if (samples.bare.length > 0) {
      const bare = median(samples.bare);
      results.push({ name: 'launch latency: `twinbox run` / a bare guest-exec round trip on the agent socket', value: Math.round((ours / bare) * 100) / 100, unit: '×', target: 0, pass: true, detail: `${Math.round(ours)} ms vs ${Math.round(bare)} ms (${spread(samples.bare)}): what twinbox adds to the guest's own work`, informative: true });
    }
    return results;
  } finally {
    spawnSync(process.execPath, [BIN, 'uninstall', 'launch', '--force'], { env: bench.env, stdio: 'ignore' });
    for (const teardown of teardowns.reverse()) await teardown();
    rmSync(control, { recursive: true, force: true });
    removeBenchHome(bench.home);
  }
}
