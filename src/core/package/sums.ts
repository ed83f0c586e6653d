/** SHA256SUMS in the format of `sha256sum` (`<hex>  <path>` per line), so `sha256sum -c` checks an unpacked package. */
export function formatSums(sums: ReadonlyMap<string, string>): string {
  return [...sums].map(([path, hash]) => `${hash}  ${path}\n`).join('');
}

/** Parses SHA256SUMS; returns the problem as a string when a line is malformed or repeated. */
export function parseSums(text: string): Map<string, string> | string {
  const sums = new Map<string, string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const [index, line] of lines.entries()) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match) return `line ${index + 1} is not "<sha256>  <path>"`;
    const [, hash, path] = match;
    if (sums.has(path!)) return `"${path}" is listed twice`;
    sums.set(path!, hash!);
  }
  return sums;
}
