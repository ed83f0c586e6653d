import { packageErrors } from './errors.js';
import { findSigner } from './signature.js';
import type { TrustPolicy } from './trust-policy.js';

/** verified: a trusted key made the signature; unsigned: there is none; unchecked: signed, but no key is trusted here. */
export interface SignatureCheck {
  state: 'verified' | 'unsigned' | 'unchecked';
  keyFingerprint?: string;
  keySource?: string;
}

/**
 * Applies the host's trust policy: a signature is checked whenever trusted keys are
 * configured (a bad one is always refused), and required when security.requireSignature is set.
 */
export function checkSignature(where: string, signature: Buffer | undefined, manifest: Buffer, sums: Buffer, trust: TrustPolicy): SignatureCheck {
  if (!signature) {
    if (trust.requireSignature) {
      throw packageErrors.signature(where, 'the package is not signed, and this host requires signed packages (security.requireSignature)', 'ask the publisher for a package signed with `twinbox pack --sign KEY`');
    }
    return { state: 'unsigned' };
  }
  if (trust.trustedKeys.length === 0) {
    if (trust.requireSignature) {
      throw packageErrors.signature(where, 'the package is signed, but no trusted keys are configured to check it (security.trustedKeys)', 'add the publisher\'s public key to the security.trustedKeys setting');
    }
    return { state: 'unchecked' };
  }
  const signer = findSigner(signature, manifest, sums, trust.trustedKeys);
  if (!signer) {
    throw packageErrors.signature(
      where,
      `the signature matches none of the ${trust.trustedKeys.length} trusted key(s): the package was altered or signed by someone else`,
      'get the package from its publisher again, or add the publisher\'s public key to security.trustedKeys',
    );
  }
  return { state: 'verified', keyFingerprint: signer.fingerprint, keySource: signer.source };
}
