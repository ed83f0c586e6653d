import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, PluginLogger, PluginPaths } from 'twinbox/plugin-api';
import { TranscriptRunner, type TranscriptStep } from '../../../../src/testing/transcript-runner.js';
import { VirtualBoxPlugin } from '../../../../plugins/virtualbox/index.js';

/** A clock whose sleeps return at once and move time forward; `sleeps` records them. */
export function steppingClock(start = Date.parse('2026-11-23T10:00:00Z')): { clock: Clock; sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      now: () => now,
      sleep: async (ms, signal) => {
        if (signal?.aborted) throw signal.reason;
        sleeps.push(ms);
        now += ms;
      },
    },
  };
}

/** Short, private folders standing in for the plugin's data, runtime and cache folders. */
export function tempPaths(): PluginPaths & { root: string; cleanup: () => void } {
  // Socket paths must stay short: use a short name directly under the temp folder.
  const root = mkdtempSync(join(tmpdir(), 'tbx-'));
  const paths = { dataDir: join(root, 'd'), runtimeDir: join(root, 'r'), cacheDir: join(root, 'c') };
  for (const dir of Object.values(paths)) mkdirSync(dir, { recursive: true });
  return { ...paths, root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export const VBOXMANAGE = '/usr/bin/VBoxManage';

export interface VBoxHarness {
  plugin: VirtualBoxPlugin;
  runner: TranscriptRunner;
  sleeps: number[];
  paths: ReturnType<typeof tempPaths>;
  logs: LogRecord[];
}

export interface HarnessOptions {
  which?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  paths?: ReturnType<typeof tempPaths>;
  /** The host account the plugin names in RDP viewer commands. */
  user?: string;
  /** Host ports handed out for new NAT rules, in order. */
  freePorts?: number[];
}

/** What the plugin wrote to its logger, as `level: message` lines. */
export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

function recordingLogger(records: LogRecord[]): PluginLogger {
  const at = (level: LogRecord['level']) => (message: string, fields?: Record<string, unknown>) => void records.push({ level, message, fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function virtualbox(steps: readonly TranscriptStep[], options: HarnessOptions = {}): VBoxHarness {
  const runner = new TranscriptRunner(steps, { which: options.which ?? { VBoxManage: VBOXMANAGE } });
  const { clock, sleeps } = steppingClock();
  const paths = options.paths ?? tempPaths();
  const logs: LogRecord[] = [];
  const freePorts = [...(options.freePorts ?? [])];
  const freePort = async (): Promise<number> => {
    const port = freePorts.shift();
    if (port === undefined) throw new Error('the test handed out no free port for this call');
    return port;
  };
  const plugin = new VirtualBoxPlugin({ runner, clock, paths, platform: options.platform ?? 'linux', env: options.env ?? {}, user: options.user ?? 'ada', freePort, logger: recordingLogger(logs) });
  return { plugin, runner, sleeps, paths, logs };
}
