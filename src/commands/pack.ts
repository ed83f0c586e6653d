import { packWorkspace } from '../core/package/pack.js';
import { watchInterrupts } from '../core/package/interrupts.js';
import { createProgressPrinter } from '../core/package/progress-printer.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string', short: 'o' }, sign: { type: 'string' }, gzip: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the workspace folder to pack' : 'give exactly one workspace folder');
  if (!values.out) throw new UsageError('--out FILE is required');
  const progress = createProgressPrinter(context.stderr as NodeJS.WriteStream);
  const interrupts = watchInterrupts();
  try {
    const result = await packWorkspace({
      sourceDir: positionals[0]!,
      outFile: values.out,
      signingKeyFile: values.sign,
      gzip: values.gzip,
      signal: interrupts.signal,
      onProgress: (step) => progress.update(`${step.phase} ${step.member}`, step.done, step.total),
    });
    progress.finish();
    if (values.json) {
      context.stdout.write(json(result));
      return 0;
    }
    const signed = result.signed ? `signed with ${result.keyFingerprint}` : 'unsigned';
    context.stdout.write(
      `packed ${result.name} ${result.version} into ${result.file} (${size(result.bytes)}, ${result.compression === 'gzip' ? 'gzip' : 'uncompressed'}, ${signed})\n` +
        `sha256 ${result.sha256}\n`,
    );
    return 0;
  } catch (error) {
    progress.finish();
    const interrupted = interrupts.exitCode();
    if (interrupted === undefined) throw error;
    context.stderr.write(`twinbox: pack interrupted; ${values.out}.partial was removed\n`);
    return interrupted;
  } finally {
    interrupts.dispose();
  }
}
