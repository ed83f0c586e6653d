import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TWINBOX_BIN } from '../../../helpers/cli.js';

export interface PausedSetup {
  child: ChildProcess;
  output(): string;
  /** kill -9, as a crash or a pulled plug would end it. */
  kill(): Promise<void>;
}

/**
 * Runs `twinbox <args>` in a child process held by TWINBOX_TEST_PAUSE_AT_STEP at `point`
 * (`step` or `step:after`), and resolves once it is held there, holding the workspace's lock.
 */
export async function pausedSetup(env: NodeJS.ProcessEnv, workspaceDir: string, point: string, args: string[]): Promise<PausedSetup> {
  const marker = join(workspaceDir, 'test-paused');
  rmSync(marker, { force: true });
  const child = spawn(process.execPath, [TWINBOX_BIN, ...args], { env: { ...env, TWINBOX_TEST_PAUSE_AT_STEP: point }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!(existsSync(marker) && readFileSync(marker, 'utf8').includes(point))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`setup never paused at ${point} (exit ${child.exitCode}):\n${output}`);
    }
    await sleep(25);
  }
  return {
    child,
    output: () => output,
    async kill() {
      child.kill('SIGKILL');
      await exited;
      rmSync(marker, { force: true });
    },
  };
}
