import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { TwinboxError } from '../../plugin-api/index.js';
import { keyFingerprint, parsePublicKey } from './key-files.js';

export interface TrustedKey {
  key: KeyObject;
  fingerprint: string;
  /** Where it came from: a path, or "settings" for an inline PEM. */
  source: string;
}

/** What an install demands of a package's signature (settings security.*). */
export interface TrustPolicy {
  requireSignature: boolean;
  trustedKeys: TrustedKey[];
}

/**
 * Reads security.trustedKeys: each entry is a PEM public key or the path of one. A broken
 * entry stops the install: silently skipping it could let an install through unverified.
 */
export function loadTrustPolicy(requireSignature: unknown, entries: unknown): TrustPolicy {
  // The settings file is edited by hand and by policy tools: its types are not guaranteed.
  if (typeof requireSignature !== 'boolean') throw badSetting('security.requireSignature', 'must be true or false');
  if (!Array.isArray(entries) || !entries.every((entry) => typeof entry === 'string')) {
    throw badSetting('security.trustedKeys', 'must be a list of PEM public keys or paths of PEM files');
  }
  const trustedKeys = (entries as string[]).map((entry, index) => {
    const inline = entry.trimStart().startsWith('-----BEGIN');
    let pem = entry;
    if (!inline) {
      try {
        pem = readFileSync(entry, 'utf8');
      } catch (error) {
        throw badKey(index, `cannot read ${entry} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
    const key = parsePublicKey(pem);
    if (typeof key === 'string') throw badKey(index, `${inline ? 'the inline key' : entry} is ${key}`);
    return { key, fingerprint: keyFingerprint(key), source: inline ? 'settings' : entry };
  });
  return { requireSignature, trustedKeys };
}

function badSetting(key: string, reason: string): TwinboxError {
  return new TwinboxError('trusted-key', `the ${key} setting ${reason}`, { hint: 'fix the setting in the settings file' });
}

function badKey(index: number, reason: string): TwinboxError {
  return new TwinboxError('trusted-key', `security.trustedKeys[${index}]: ${reason}`, {
    hint: 'list ed25519 public keys (PEM text or paths of .pub files from `twinbox keygen`) in the security.trustedKeys setting',
  });
}
