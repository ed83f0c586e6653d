// Writes docs/commands.md and the command table of README.md from the compiled command list
// (the text `twinbox --help` prints), and the README's benchmark table from bench/figures.json
// (what `npm run bench -- --save` measured). `--check` writes nothing and exits 1 naming each file
// that differs from what it would write (a test runs it). Run `npm run docs` after changing
// a command's definition (src/commands/definitions/) or src/commands/command-list.ts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { commandsMarkdown, readmeWithCommandTable } from '../build/src/commands/docs-page.js';
import { readFigures, readmeWithFigures } from '../build/bench/figures.js';

const check = process.argv.includes('--check');
const readme = readFileSync('README.md', 'utf8');
const withCommands = readmeWithCommandTable(readme);
if (withCommands === undefined) {
  console.error('docs: README.md has no <!-- commands:start ... --> and <!-- commands:end --> markers around its command table');
  process.exit(1);
}
// Until a bench run has saved its figures, the README's benchmark section is its own.
const newReadme = existsSync('bench/figures.json') ? readmeWithFigures(withCommands, readFigures('bench/figures.json')) : withCommands;
if (newReadme === undefined) {
  console.error('docs: README.md has no <!-- bench:start ... --> and <!-- bench:end --> markers around its benchmark table');
  process.exit(1);
}
const wanted = { 'docs/commands.md': commandsMarkdown(), 'README.md': newReadme };
const stale = [];
for (const [file, text] of Object.entries(wanted)) {
  let current;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) continue;
  stale.push(file);
  if (!check) writeFileSync(file, text);
}
if (check && stale.length > 0) {
  console.error(`docs: ${stale.join(' and ')} ${stale.length === 1 ? 'differs' : 'differ'} from the command table\nhint: run \`npm run docs\` and commit the result`);
  process.exit(1);
}
if (!check && stale.length > 0) console.log(`docs: wrote ${stale.join(', ')}`);
