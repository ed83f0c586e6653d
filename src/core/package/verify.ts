import { readPackage, type PackageMetadata, type PackageReadOptions } from './package-reader.js';

/**
 * Checks a package completely without installing it: structure, manifest, sums (the image is
 * hashed as it streams), format and signature. Throws the first problem (exit code 3).
 */
export async function verifyPackage(file: string, options: Pick<PackageReadOptions, 'trust' | 'signal'>): Promise<PackageMetadata> {
  return readPackage(file, { trust: options.trust, signal: options.signal });
}
