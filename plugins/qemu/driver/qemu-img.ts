import type { CommandResult, CommandRunner } from 'twinbox/plugin-api';
import { qemuErrors, toolMessage } from './errors.js';
import { parseSnapshotList, type ListedSnapshot } from './snapshot-list.js';

const QUICK_MS = 60_000;

export interface ImageInfo {
  format: string;
  virtualSize: number;
  actualSize?: number;
  backingFile?: string;
}

/** The qemu-img commands the plugin uses, each with its failure turned into a TwinboxError. */
export class QemuImg {
  constructor(
    private readonly runner: CommandRunner,
    private readonly binary: string,
  ) {}

  async run(args: readonly string[], timeoutMs = QUICK_MS): Promise<CommandResult> {
    return this.runner.run(this.binary, args, { timeoutMs, env: { LC_ALL: 'C' } });
  }

  async info(path: string, format: string): Promise<ImageInfo> {
    const result = await this.run(['info', '--output=json', '-f', format, path]);
    if (result.exitCode !== 0) throw qemuErrors.invalidImage(path, toolMessage(result.stderr, `exit code ${result.exitCode}`));
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    return {
      format: String(parsed.format ?? format),
      virtualSize: Number(parsed['virtual-size'] ?? 0),
      actualSize: typeof parsed['actual-size'] === 'number' ? parsed['actual-size'] : undefined,
      backingFile: typeof parsed['backing-filename'] === 'string' ? parsed['backing-filename'] : undefined,
    };
  }

  /** Exit 2 means corruption; 3 means only leaked clusters, which lose nothing. */
  async check(path: string, format: string): Promise<void> {
    const result = await this.run(['check', '-f', format, path], 10 * 60_000);
    if (result.exitCode === 0 || result.exitCode === 3) return;
    throw qemuErrors.invalidImage(path, toolMessage(result.stderr || result.stdout, `qemu-img check exit code ${result.exitCode}`));
  }

  /** A thin qcow2 whose unwritten clusters are read from the (read-only) base. */
  async createOverlay(base: string, baseFormat: string, overlay: string): Promise<void> {
    const result = await this.run(['create', '-q', '-f', 'qcow2', '-b', base, '-F', baseFormat, overlay]);
    if (result.exitCode !== 0) throw qemuErrors.qemuImgFailed(`create the overlay ${overlay}`, toolMessage(result.stderr, `exit code ${result.exitCode}`));
  }

  async listSnapshots(image: string): Promise<ListedSnapshot[]> {
    const result = await this.run(['snapshot', '-l', image]);
    if (result.exitCode !== 0) throw qemuErrors.qemuImgFailed(`list the snapshots of ${image}`, toolMessage(result.stderr, `exit code ${result.exitCode}`));
    return parseSnapshotList(result.stdout);
  }

  async snapshot(action: '-c' | '-a' | '-d', name: string, image: string): Promise<void> {
    const result = await this.run(['snapshot', action, name, image], 10 * 60_000);
    if (result.exitCode !== 0) {
      const verb = action === '-c' ? 'create' : action === '-a' ? 'apply' : 'delete';
      throw qemuErrors.qemuImgFailed(`${verb} snapshot ${name}`, toolMessage(result.stderr, `exit code ${result.exitCode}`));
    }
  }
}
