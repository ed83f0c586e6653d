import compare from 'semver/functions/compare.js';
import parse from 'semver/functions/parse.js';
import satisfies from 'semver/functions/satisfies.js';

/**
 * Every version comparison and range in twinbox and its plugins goes through `semver` (npm's
 * own rules, semver.org 2.0.0), here, so plugins have it too without a dependency of their own.
 */

/**
 * A version's parts, or undefined when it is not a semantic version ("1.2.0", "2.0.0-rc.1+build.5").
 * Strictly semver.org's form unless `loose`, which also takes leading zeros ("01.2.3"), a
 * leading "v" and spaces around.
 */
export function parseSemver(version: string, options: { loose?: boolean } = {}): { major: number; minor: number; patch: number; prerelease: ReadonlyArray<string | number> } | undefined {
  const loose = options.loose ?? false;
  // node-semver's strict parse still overlooks a leading "v" and spaces around.
  const parsed = loose || /^\d[^\s]*$/.test(version) ? parse(version, { loose }) : null;
  return parsed ? { major: parsed.major, minor: parsed.minor, patch: parsed.patch, prerelease: parsed.prerelease } : undefined;
}

/**
 * Semantic-version precedence (semver.org §11): numeric core, then a pre-release sorts before
 * its release; build metadata does not count. Negative when `a` is older than `b`, 0 when they
 * are the same version. Read loosely (leading zeros count for nothing); throws a TypeError on
 * what is no version at all.
 */
export function compareVersions(a: string, b: string): number {
  return compare(a, b, { loose: true });
}

/** Whether `version` is in `range` (npm's range syntax: ">=6.1.0", "^1.1.0", "1.x"); what is no version is in none. */
export function versionSatisfies(version: string, range: string): boolean {
  return satisfies(version, range, { loose: true });
}
