import { generateKeyPairFiles } from '../core/package/keygen.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseCommandArgs({ args, options: { out: { type: 'string', short: 'o' }, json: { type: 'boolean' } } });
  if (!values.out) throw new UsageError('--out KEYFILE is required');
  const pair = await generateKeyPairFiles(values.out);
  if (values.json) {
    context.stdout.write(json(pair));
    return 0;
  }
  context.stdout.write(
    [
      `private key: ${pair.privateKeyFile} (owner-only; keep it secret, sign with \`twinbox pack --sign ${pair.privateKeyFile}\`)`,
      `public key:  ${pair.publicKeyFile} (list it in the security.trustedKeys setting of the hosts)`,
      `fingerprint: ${pair.fingerprint}`,
      '',
    ].join('\n'),
  );
  return 0;
}
