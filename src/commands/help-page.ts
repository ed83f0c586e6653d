import { ENVIRONMENT, EXIT_CODES, GLOBAL_OPTIONS } from './cli-reference.js';
import { ALIASES, COMMANDS, helpGroups } from './command-list.js';

/** What `twinbox --help` prints: the commands in their groups, the global options, aliases, environment and exit codes. */
export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = helpGroups().flatMap(([title, names]) => [`  ${title}:`, ...names.map((name) => `    ${name.padEnd(width)}  ${COMMANDS[name]!.summary}`)]);
  return `twinbox: run a second operating system beside the host and use its applications from a terminal.

Usage: twinbox <command> [options]
       twinbox            the dashboard on a terminal, else the status table

Commands:
${lines.join('\n')}

Options:
${pairs(GLOBAL_OPTIONS)}

Aliases: ${Object.entries(ALIASES).map(([alias, name]) => `${alias} = ${name}`).join(', ')}

Environment:
${pairs(ENVIRONMENT)}

twinbox URL is twinbox open URL (for BROWSER=twinbox).

Exit codes: ${exitCodes()}
`;
}

function pairs(rows: Array<[string, string]>): string {
  const width = Math.max(15, ...rows.map(([name]) => name.length));
  return rows.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`).join('\n');
}

/** "0 ok, 1 failed, ...", wrapped below 92 columns as `--help` prints it. */
export function exitCodes(): string {
  const lines: string[] = [];
  let line = '';
  for (const [code, meaning] of EXIT_CODES) {
    const item = `${code} ${meaning}`;
    if (line && `Exit codes: ${line}, ${item},`.length > 76) {
      lines.push(`${line},`);
      line = item;
    } else {
      line = line ? `${line}, ${item}` : item;
    }
  }
  lines.push(line);
  return lines.join('\n            ');
}
