import { sign, verify, type KeyObject } from 'node:crypto';

/**
 * The signed bytes: workspace.json followed by SHA256SUMS. The sums cover every other member,
 * so one ed25519 signature over these two small files vouches for the whole package.
 */
function signedBytes(manifest: Buffer, sums: Buffer): Buffer {
  return Buffer.concat([manifest, sums]);
}

/** The SIGNATURE member: the base64 ed25519 signature and a newline. */
export function signPackage(privateKey: KeyObject, manifest: Buffer, sums: Buffer): Buffer {
  return Buffer.from(`${sign(null, signedBytes(manifest, sums), privateKey).toString('base64')}\n`);
}

/** The trusted key that made the signature, or undefined when none did. */
export function findSigner<K extends { key: KeyObject }>(signature: Buffer, manifest: Buffer, sums: Buffer, keys: readonly K[]): K | undefined {
  const text = signature.toString('latin1').trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const raw = Buffer.from(text, 'base64');
  if (raw.length !== 64) return undefined;
  const data = signedBytes(manifest, sums);
  return keys.find((candidate) => verify(null, data, candidate.key, raw));
}
