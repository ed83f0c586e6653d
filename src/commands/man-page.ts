import { ENVIRONMENT, EXIT_CODES, GLOBAL_OPTIONS } from './cli-reference.js';
import { ALIASES, COMMANDS, helpGroups } from './command-list.js';

/** Text as roff reads it: backslashes and hyphens escaped, no line starting a request. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

/** A block printed as written: the help texts are laid out in columns already. */
function verbatim(text: string): string {
  return `.nf\n${roff(text)}\n.fi`;
}

function tagged(rows: Array<[string, string]>): string {
  return rows.map(([name, text]) => `.TP\n.B ${roff(name)}\n${roff(text)}`).join('\n');
}

/**
 * twinbox(1) in roff (man(7) macros), from the command list `--help` prints: a section per
 * command with its summary and its whole help text, then the global options, aliases,
 * environment and exit codes. scripts/man.js writes it to build/man/twinbox.1.
 */
export function manPage(version: string): string {
  const commands = helpGroups().flatMap(([title, names]) => [
    `.SS ${roff(title)}`,
    ...names.map((name) => `.TP\n.B twinbox ${roff(name)}\n${roff(COMMANDS[name]!.summary)}`),
  ]);
  const details = Object.entries(COMMANDS).flatMap(([name, entry]) => [`.SS twinbox ${roff(name)}`, roff(entry.summary), '.PP', verbatim(entry.help)]);
  return [
    `.TH TWINBOX 1 "" "twinbox ${roff(version)}" "User Commands"`,
    '.nh',
    '.ad l',
    '.SH NAME',
    'twinbox \\- run a second operating system beside the host and use its applications from a terminal',
    '.SH SYNOPSIS',
    '.B twinbox',
    '.RI [ global\\-options "] " command " [" options "] [" arguments ]',
    '.br',
    '.B twinbox',
    '.I URL',
    '.SH DESCRIPTION',
    roff(
      'twinbox runs a second operating system in a VM beside the host and publishes its applications to a terminal menu. ' +
        'Plain twinbox opens the dashboard on a terminal and prints the status table otherwise; twinbox URL is twinbox open URL (for BROWSER=twinbox). ' +
        'Every command takes --help (or twinbox help COMMAND); commands that print data take --json.',
    ),
    '.SH COMMANDS',
    ...commands,
    '.SH OPTIONS',
    tagged(GLOBAL_OPTIONS),
    '.SH ALIASES',
    tagged(Object.entries(ALIASES).map(([alias, name]): [string, string] => [`twinbox ${alias}`, `the same as twinbox ${name}`])),
    '.SH COMMAND REFERENCE',
    ...details,
    '.SH ENVIRONMENT',
    tagged(ENVIRONMENT),
    '.SH EXIT STATUS',
    tagged(EXIT_CODES.map(([code, meaning]): [string, string] => [String(code), meaning])),
    '.PP',
    roff('Errors are one line naming the problem, then a hint: line with the fix, on standard error; with --json, {"error": {"code", "message", "hint", "exitCode"}} on standard output.'),
    '.SH SEE ALSO',
    roff('The README of the twinbox package; docs/commands.md.'),
    '',
  ].join('\n');
}
