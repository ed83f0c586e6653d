/** Splits a Windows command line the way CommandLineToArgvW and the MSVC runtime do. */
export function splitWindowsCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inToken = false;
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (char === '\\') {
      let count = 0;
      while (line[index + count] === '\\') count++;
      index += count - 1;
      inToken = true;
      if (line[index + 1] === '"') {
        // Backslashes count as escapes only in front of a quote.
        current += '\\'.repeat(Math.floor(count / 2));
        if (count % 2 === 1) {
          current += '"';
          index++;
        }
      } else current += '\\'.repeat(count);
    } else if (char === '"') {
      inToken = true;
      if (quoted && line[index + 1] === '"') {
        current += '"';
        index++;
      } else quoted = !quoted;
    } else if ((char === ' ' || char === '\t') && !quoted) {
      if (inToken) args.push(current);
      current = '';
      inToken = false;
    } else {
      current += char;
      inToken = true;
    }
  }
  if (inToken) args.push(current);
  return args;
}
