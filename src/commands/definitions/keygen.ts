import type { CommandDefinition } from '../command-context.js';

export const keygen: CommandDefinition = {
  name: 'keygen',
  summary: 'make an ed25519 key pair for signing packages',
  help: `Usage: twinbox keygen --out KEYFILE [--json]

Writes the private key to KEYFILE (PEM, mode 0600) and the public key to KEYFILE.pub. Sign
packages with \`twinbox pack --sign KEYFILE\`; trust them on hosts by listing the public key
(its PEM text or its path) in the security.trustedKeys setting. Never overwrites a key (exit 2).`,
  load: () => import('../keygen.js'),
};
