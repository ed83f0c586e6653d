import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import test from 'ava';
import { commandsMarkdown, readmeWithCommandTable, synopsis } from '../../src/commands/docs-page.js';
import { EXIT_CODES } from '../../src/commands/cli-reference.js';
import { COMMANDS } from '../../src/commands/command-list.js';
import { tempDir } from '../helpers/temp.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAN_PAGE = join(ROOT, 'build', 'man', 'twinbox.1');

function run(program: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(program, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: 60_000, maxBuffer: 8 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

test('the build writes twinbox(1), the package installs it, and man renders it without a warning, with every command of the table', async (t) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { man?: string[] };
  t.deepEqual(pkg.man, ['./build/man/twinbox.1']);
  t.true(existsSync(MAN_PAGE), 'npm run build wrote build/man/twinbox.1');
  if (!existsSync('/usr/bin/man')) return t.log('skipped rendering: man is not installed (apt-get install man-db groff-base)');
  const rendered = await run('man', ['--warnings', '-l', MAN_PAGE], { env: { MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '200', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', MAN_KEEP_FORMATTING: '' } });
  t.is(rendered.code, 0, rendered.stderr);
  t.is(rendered.stderr, '', 'groff reports no warning');
  const text = rendered.stdout.replace(/.\u0008/g, '');
  t.regex(text, /^TWINBOX\(1\)/);
  for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'OPTIONS', 'ALIASES', 'ENVIRONMENT', 'EXIT STATUS']) t.regex(text, new RegExp(`^${section}$`, 'm'));
  for (const [name, entry] of Object.entries(COMMANDS)) {
    t.true(text.includes(`twinbox ${name}`), name);
    // Every usage line, hyphens and all, as --help prints it (copying an option from the page works).
    for (const line of synopsis(name)) t.true(text.includes(line), `${name}: ${line}`);
    t.true(text.replace(/\s+/g, ' ').includes(entry.summary.replace(/\s+/g, ' ')), `${name}: summary`);
  }
  for (const [code, meaning] of EXIT_CODES) t.regex(text, new RegExp(`^\\s+${code}\\s+${meaning.replace(/[()]/g, '\\$&')}$`, 'm'));
});

test('docs/commands.md and the README command table are what npm run docs makes from the command table', (t) => {
  const docs = readFileSync(join(ROOT, 'docs', 'commands.md'), 'utf8');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  t.is(docs, commandsMarkdown(), 'docs/commands.md is stale: run `npm run docs`');
  t.is(readme, readmeWithCommandTable(readme) ?? 'no commands:start and commands:end markers', 'the README command table is stale: run `npm run docs`');
  for (const name of Object.keys(COMMANDS)) {
    t.true(docs.includes(`### twinbox ${name}\n`), name);
    t.true(docs.includes(COMMANDS[name]!.help), `${name}: its whole help`);
    t.true(readme.includes(`(docs/commands.md#twinbox-${name})`), `${name} is in the README table`);
  }
});

test('scripts/docs.js --check fails, naming the file, when a checked-in file differs, and writes it when run without', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'docs'));
  mkdirSync(join(dir, 'scripts'));
  cpSync(join(ROOT, 'scripts', 'docs.js'), join(dir, 'scripts', 'docs.js'));
  cpSync(join(ROOT, 'build', 'src'), join(dir, 'build', 'src'), { recursive: true });
  cpSync(join(ROOT, 'build', 'bench'), join(dir, 'build', 'bench'), { recursive: true });
  cpSync(join(ROOT, 'docs', 'commands.md'), join(dir, 'docs', 'commands.md'));
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  writeFileSync(join(dir, 'README.md'), readme.replace(/(<!-- commands:start -->[\s\S]*?)\| `twinbox stop [^\n]*\n/, '$1'));
  const stale = await run(process.execPath, ['scripts/docs.js', '--check'], { cwd: dir });
  t.is(stale.code, 1);
  t.is(stale.stderr, 'docs: README.md differs from the command table\nhint: run `npm run docs` and commit the result\n');
  const fixed = await run(process.execPath, ['scripts/docs.js'], { cwd: dir });
  t.is(fixed.code, 0, fixed.stderr);
  t.is(readFileSync(join(dir, 'README.md'), 'utf8'), readme);
  t.is((await run(process.execPath, ['scripts/docs.js', '--check'], { cwd: dir })).code, 0);
  writeFileSync(join(dir, 'README.md'), '# no table here\n');
  const markers = await run(process.execPath, ['scripts/docs.js', '--check'], { cwd: dir });
  t.is(markers.code, 1);
  t.regex(markers.stderr, /no <!-- commands:start/);
});
