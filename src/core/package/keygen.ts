import { generateKeyPairSync } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { TwinboxError } from '../../plugin-api/index.js';
import { keyFingerprint } from './key-files.js';
import { pathExists } from '../../plugin-api/index.js';

export interface KeyPairFiles {
  privateKeyFile: string;
  publicKeyFile: string;
  fingerprint: string;
}


/**
 * Makes an ed25519 signing key pair: the private key (PKCS#8 PEM, owner-only) at `file` and
 * the public key (SPKI PEM) at `file.pub`, for the security.trustedKeys setting of the hosts.
 * Existing files are never overwritten: losing a signing key is not recoverable.
 */
export async function generateKeyPairFiles(file: string): Promise<KeyPairFiles> {
  const publicKeyFile = `${file}.pub`;
  for (const path of [file, publicKeyFile]) {
    if (await pathExists(path)) {
      throw new TwinboxError('key-exists', `${path} already exists; keygen never overwrites a key`, {
        exit: 'usage',
        hint: 'choose another --out path, or move the old key away first',
      });
    }
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let wrotePrivate = false;
  try {
    await writeFile(file, privatePem, { mode: 0o600, flag: 'wx' });
    wrotePrivate = true;
    await writeFile(publicKeyFile, publicPem, { mode: 0o644, flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (wrotePrivate) await rm(file, { force: true });
    throw new TwinboxError('key-write', `cannot write the key pair at ${file}: ${code ?? (error as Error).message}`, {
      exit: code === 'EEXIST' ? 'usage' : 'failed',
      hint: 'check that the folder exists and is writable',
      cause: error,
    });
  }
  return { privateKeyFile: file, publicKeyFile, fingerprint: keyFingerprint(publicKey) };
}
