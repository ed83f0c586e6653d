import { ENVIRONMENT, EXIT_CODES, GLOBAL_OPTIONS } from './cli-reference.js';
import { ALIASES, COMMANDS, helpGroups } from './command-list.js';

/** The usage lines of a command's help, without "Usage:". */
export function synopsis(name: string): string[] {
  return COMMANDS[name]!.help
    .split('\n\n')[0]!
    .split('\n')
    .map((line) => line.replace(/^\s*(?:Usage:)?\s*/, ''));
}

/** A GitHub heading anchor for `## twinbox NAME`. */
function anchor(name: string): string {
  return `twinbox-${name}`;
}

/** In a GitHub table cell a `|` ends the cell even inside a code span. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

const GENERATED = 'Generated from src/commands/command-list.ts by `npm run docs`; do not edit by hand.';

/** docs/commands.md: every command's `--help`, grouped as `twinbox --help` groups them. */
export function commandsMarkdown(): string {
  const contents = helpGroups().map(([title, names]) => `- ${title}: ${names.map((name) => `[${name}](#${anchor(name)})`).join(', ')}`);
  const sections = helpGroups().flatMap(([title, names]) => [
    `## ${title}`,
    '',
    ...names.flatMap((name) => [`### twinbox ${name}`, '', `${COMMANDS[name]!.summary[0]!.toUpperCase()}${COMMANDS[name]!.summary.slice(1)}.`, '', '```text', COMMANDS[name]!.help, '```', '']),
  ]);
  const rows = (list: Array<[string, string]>) => list.map(([name, text]) => `| \`${cell(name)}\` | ${cell(text)} |`);
  return [
    '# twinbox commands',
    '',
    `<!-- ${GENERATED} -->`,
    '',
    'What `twinbox help COMMAND` prints, for every command. The same text makes the man page',
    '`twinbox(1)` and the command table of the [README](../README.md#commands).',
    '',
    ...contents,
    '- [Global options, aliases, environment, exit codes](#global-options)',
    '',
    ...sections,
    '## Global options',
    '',
    '| option | meaning |',
    '| --- | --- |',
    ...rows(GLOBAL_OPTIONS),
    '',
    `Aliases: ${Object.entries(ALIASES).map(([alias, name]) => `\`twinbox ${alias}\` is \`twinbox ${name}\``).join(', ')}.`,
    '',
    '| environment | meaning |',
    '| --- | --- |',
    ...rows(ENVIRONMENT),
    '',
    '| exit code | meaning |',
    '| --- | --- |',
    ...EXIT_CODES.map(([code, meaning]) => `| ${code} | ${meaning} |`),
    '',
  ].join('\n');
}

export const README_TABLE_START = '<!-- commands:start -->';
export const README_TABLE_END = '<!-- commands:end -->';

/** The README's command table: one row per command, its usage and its summary, linked to docs/commands.md. */
export function readmeCommandTable(): string {
  const rows = helpGroups().flatMap(([, names]) =>
    names.map((name) => `| ${synopsis(name).map((line) => `\`${cell(line)}\``).join('<br>')} | ${cell(COMMANDS[name]!.summary)} ([more](docs/commands.md#${anchor(name)})) |`),
  );
  return [
    README_TABLE_START,
    `<!-- ${GENERATED} -->`,
    '| command | what it does |',
    '| --- | --- |',
    '| `twinbox` | on a terminal, the [dashboard](#dashboard); piped or redirected, the `twinbox status` table |',
    '| `twinbox URL` | `twinbox open URL` (for `BROWSER=twinbox`) |',
    ...rows,
    README_TABLE_END,
  ].join('\n');
}

/** The README with its command table replaced by the generated one; undefined when it has no markers. */
export function readmeWithCommandTable(readme: string): string | undefined {
  const start = readme.indexOf(README_TABLE_START);
  const end = readme.indexOf(README_TABLE_END);
  if (start === -1 || end < start) return undefined;
  return `${readme.slice(0, start)}${readmeCommandTable()}${readme.slice(end + README_TABLE_END.length)}`;
}
