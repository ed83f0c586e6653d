function parse(version: string): { core: number[]; pre: string[] } {
  const withoutBuild = version.split('+')[0]!;
  const dash = withoutBuild.indexOf('-');
  const core = (dash < 0 ? withoutBuild : withoutBuild.slice(0, dash)).split('.').map(Number);
  const pre = dash < 0 ? [] : withoutBuild.slice(dash + 1).split('.');
  return { core, pre };
}

function compareIdentifiers(a: string, b: string): number {
  const numericA = /^\d+$/.test(a);
  const numericB = /^\d+$/.test(b);
  if (numericA && numericB) return Math.sign(Number(a) - Number(b));
  if (numericA !== numericB) return numericA ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Semantic-version precedence (semver.org §11): numeric core, then a pre-release sorts before
 * its release; build metadata does not count. Negative when `a` is older than `b`.
 */
export function compareVersions(a: string, b: string): number {
  const left = parse(a);
  const right = parse(b);
  for (let index = 0; index < 3; index++) {
    const difference = Math.sign((left.core[index] ?? 0) - (right.core[index] ?? 0));
    if (difference !== 0) return difference;
  }
  if (left.pre.length === 0 || right.pre.length === 0) return left.pre.length === right.pre.length ? 0 : left.pre.length === 0 ? 1 : -1;
  for (let index = 0; index < Math.max(left.pre.length, right.pre.length); index++) {
    if (left.pre[index] === undefined) return -1;
    if (right.pre[index] === undefined) return 1;
    const difference = compareIdentifiers(left.pre[index]!, right.pre[index]!);
    if (difference !== 0) return difference;
  }
  return 0;
}
