import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/** An SSH-style fingerprint of a public key (or of a private key's public half): SHA256 of its DER encoding, base64. */
export function keyFingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}

/** Parses an ed25519 private key in PEM; the reason as a string when it is not one. */
export function parsePrivateKey(pem: string): KeyObject | string {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    const message = (error as Error).message;
    return /passphrase/i.test(message) ? 'the key is encrypted; twinbox signs with unencrypted keys from `twinbox keygen`' : 'not a PEM private key';
  }
  return key.asymmetricKeyType === 'ed25519' ? key : `an ${key.asymmetricKeyType ?? 'unknown'} key, not ed25519`;
}

/** Parses an ed25519 public key in PEM; the reason as a string when it is not one. */
export function parsePublicKey(pem: string): KeyObject | string {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    return 'not a PEM public key';
  }
  return key.asymmetricKeyType === 'ed25519' ? key : `an ${key.asymmetricKeyType ?? 'unknown'} key, not ed25519`;
}
