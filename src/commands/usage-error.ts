import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad flags or arguments: the CLI prints usage and exits 2. */
export class UsageError extends Error {}

/** node's parseArgs in strict mode, with its errors turned into one-line usage errors. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ strict: true, ...config });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, ''));
  }
}
