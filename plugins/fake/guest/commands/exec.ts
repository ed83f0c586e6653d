import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { resolveGuestPath, GuestPathError } from '../guest-path.js';
import { base64Arg, intArg, QgaError, stringArg, stringListArg, type QgaArgs, type QgaCommand } from '../qga-error.js';

/** qemu-ga caps captured output at 16 MiB per stream and flags the rest as truncated. */
const OUTPUT_LIMIT = 16 * 1024 * 1024;
/** Where a bare program name is looked up inside the guest before falling back to the host. */
const GUEST_PATH = ['/usr/local/bin', '/usr/bin', '/bin'];

interface Captured {
  chunks: Buffer[];
  size: number;
  truncated: boolean;
}

/** A guest device a program named, as the host path it uses; held until the program ends. */
export interface DeviceClaim {
  hostPath: string;
  /** Resolves once what the program wrote to the device has reached the host. */
  release(): Promise<void>;
}

/** Guest devices that stand for something on the host (the console ports). */
export interface GuestDevices {
  /** The host path for a guest path that names such a device; undefined for any other path. */
  claim(guestPath: string): Promise<DeviceClaim | undefined>;
}

const NO_DEVICES: GuestDevices = { claim: async () => undefined };

interface GuestProcess {
  child: ChildProcess;
  stdout?: Captured;
  stderr?: Captured;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  streamsOpen: number;
  /** The devices it named still pass on what it wrote (a console's output on its way to the host). */
  devicesBusy: boolean;
}

function capture(stream: NodeJS.ReadableStream | null, into: Captured, job: GuestProcess): void {
  if (!stream) return;
  job.streamsOpen += 1;
  stream.on('data', (chunk: Buffer) => {
    const room = OUTPUT_LIMIT - into.size;
    if (room <= 0) {
      into.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    into.truncated ||= kept.length < chunk.length;
    into.chunks.push(kept);
    into.size += kept.length;
  });
  stream.on('close', () => {
    job.streamsOpen -= 1;
  });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Picks what runs for a guest path: a program installed in the guest root wins (so apps the
 * guest has are the ones that run); otherwise the host program of that name stands in for
 * the guest's, since the fake has no kernel of its own.
 */
async function programFor(root: string, path: string): Promise<string> {
  const candidates = path.includes('/') ? [path] : GUEST_PATH.map((dir) => `${dir}/${path}`);
  for (const candidate of candidates) {
    let hostPath: string;
    try {
      hostPath = await resolveGuestPath(root, candidate);
    } catch (error) {
      if (error instanceof GuestPathError) throw new QgaError('GenericError', error.message);
      throw error;
    }
    if (await isFile(hostPath)) return hostPath;
  }
  return path;
}

function envPairs(list: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of list) {
    const equals = entry.indexOf('=');
    if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return env;
}

/** Accepts the old boolean form and the newer GuestExecCaptureOutputMode strings. */
function captureMode(args: QgaArgs): 'none' | 'separated' | 'merged' {
  const value = args['capture-output'];
  if (value === undefined || value === false || value === 'none') return 'none';
  if (value === true || value === 'separated' || value === 'stdout' || value === 'stderr') return 'separated';
  if (value === 'merged') return 'merged';
  throw new QgaError('GenericError', "Invalid parameter 'capture-output'");
}

function signalNumber(signal: NodeJS.Signals): number {
  return (constants.signals as Record<string, number>)[signal] ?? 0;
}

/** guest-exec and guest-exec-status: guest programs run as host processes inside the guest root. */
export class GuestExec {
  private readonly jobs = new Map<number, GuestProcess>();

  constructor(
    private readonly root: string,
    private readonly devices: GuestDevices = NO_DEVICES,
  ) {}

  commands(): Record<string, QgaCommand> {
    return {
      'guest-exec': { run: (args) => this.exec(args) },
      'guest-exec-status': { run: (args) => this.status(args) },
    };
  }

  /** A VM that stops takes its programs with it. */
  killAll(): void {
    for (const job of this.jobs.values()) {
      if (!job.exit) job.child.kill('SIGKILL');
    }
  }

  private async exec(args: QgaArgs): Promise<{ pid: number }> {
    const path = stringArg(args, 'path');
    const argv = stringListArg(args, 'arg');
    const env = envPairs(stringListArg(args, 'env'));
    const input = base64Arg(args, 'input-data', true);
    const mode = captureMode(args);
    const program = await programFor(this.root, path);
    const output = mode === 'none' ? 'ignore' : 'pipe';
    // A device named by its own (an argument that is exactly /dev/hvcN) is the host file that
    // stands for it; paths inside longer arguments are not looked at.
    const claims: DeviceClaim[] = [];
    const hostArgv: string[] = [];
    for (const arg of argv) {
      const claim = await this.devices.claim(arg);
      if (claim) claims.push(claim);
      hostArgv.push(claim?.hostPath ?? arg);
    }
    const releaseDevices = () => Promise.all(claims.splice(0).map((claim) => claim.release()));
    let child: ChildProcess;
    try {
      child = spawn(program, hostArgv, {
        cwd: this.root,
        // The guest's /tmp, where a host /tmp would be shared by every VM on this machine.
        env: { ...process.env, TWINBOX_GUEST_ROOT: this.root, TMPDIR: join(this.root, 'tmp'), ...env },
        stdio: [input ? 'pipe' : 'ignore', output, output],
        argv0: path,
      });
    } catch (error) {
      await releaseDevices();
      throw error;
    }
    const job: GuestProcess = { child, streamsOpen: 0, devicesBusy: claims.length > 0 };
    const settleDevices = () => {
      void releaseDevices().finally(() => {
        job.devicesBusy = false;
      });
    };
    child.on('exit', (code, signal) => {
      job.exit = { code, signal };
      settleDevices();
    });
    child.on('error', settleDevices);
    if (mode !== 'none') {
      job.stdout = { chunks: [], size: 0, truncated: false };
      job.stderr = mode === 'merged' ? job.stdout : { chunks: [], size: 0, truncated: false };
      capture(child.stdout, job.stdout, job);
      capture(child.stderr, job.stderr, job);
    }
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) =>
        reject(new QgaError('GenericError', `Failed to execute child process \u201c${path}\u201d (${error.message})`)),
      );
    });
    const pid = child.pid as number;
    if (child.stdin) {
      // A program that exits without reading its input must not take the agent down.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
    this.jobs.set(pid, job);
    return { pid };
  }

  private status(args: QgaArgs): Record<string, unknown> {
    const pid = intArg(args, 'pid');
    const job = this.jobs.get(pid);
    if (!job) throw new QgaError('GenericError', `Invalid parameter 'pid'`);
    // Output is complete only once the pipes have closed, which can follow the exit, and what
    // went to a console has reached the host: the exit is reported after the output, as it
    // would be on a guest whose console is quicker than a status poll.
    if (!job.exit || job.streamsOpen > 0 || job.devicesBusy) return { exited: false };
    this.jobs.delete(pid);
    const status: Record<string, unknown> = { exited: true };
    if (job.exit.signal) status.signal = signalNumber(job.exit.signal);
    else status.exitcode = job.exit.code ?? 0;
    if (job.stdout) {
      status['out-data'] = Buffer.concat(job.stdout.chunks).toString('base64');
      if (job.stdout.truncated) status['out-truncated'] = true;
    }
    if (job.stderr && job.stderr !== job.stdout) {
      status['err-data'] = Buffer.concat(job.stderr.chunks).toString('base64');
      if (job.stderr.truncated) status['err-truncated'] = true;
    }
    return status;
  }
}
