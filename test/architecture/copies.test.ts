import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../helpers/processes.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const JSCPD = join(ROOT, 'node_modules', 'jscpd', 'bin', 'jscpd');

/**
 * The repeats of 10 lines or more that jscpd finds in src/ and plugins/ and that stay, each with
 * its reason; any other one fails the test: make the logic one helper instead.
 */
const KNOWN: Record<string, string> = {
  'plugins/hyperv/cap/channel.ts ~ plugins/virtualbox/cap/channel.ts': 'each waits for its own transport (a named pipe through the PowerShell host, a loopback TCP port) into the same stream shape',
  'plugins/fake/driver/errors.ts ~ plugins/qemu/driver/errors.ts': "each plugin's table of its own error codes; the shared lines are TwinboxError constructors",
  'plugins/qemu/plugin.ts ~ plugins/virtualbox/plugin.ts': 'import lists: each plugin definition imports its own actions, named alike by the one layout',
  'plugins/hyperv/plugin.ts ~ plugins/virtualbox/plugin.ts': 'import lists: each plugin definition imports its own actions, named alike by the one layout',
  'plugins/fake/plugin.ts ~ plugins/virtualbox/plugin.ts': 'import lists: each plugin definition imports its own actions, named alike by the one layout',
  'src/commands/resume.ts ~ src/commands/stop.ts': "import lines and the shared lifecycle argument parsing's call",
  'src/commands/restart.ts ~ src/commands/stop.ts': "import lines and the shared lifecycle argument parsing's call",
};

interface Clone {
  lines: number;
  firstFile: { name: string; start: number; end: number };
  secondFile: { name: string; start: number; end: number };
}

test('no logic of 10 lines or more is repeated in src/ and plugins/ but the known repeats, each with its reason (jscpd)', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'tbx-jscpd-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const result = await run(process.execPath, [JSCPD, '--min-lines', '10', '--min-tokens', '50', '--format', 'typescript,tsx', '--reporters', 'json', '--output', out, '--silent', 'src', 'plugins'], { cwd: ROOT });
  t.is(result.exitCode, 0, result.stderr);
  const clones = (JSON.parse(readFileSync(join(out, 'jscpd-report.json'), 'utf8')) as { duplicates: Clone[] }).duplicates;
  const pairs = clones.map((clone) => [clone.firstFile.name, clone.secondFile.name].sort().join(' ~ '));
  t.log(`${clones.length} repeats of 10+ lines, ${clones.reduce((sum, clone) => sum + clone.lines, 0)} lines`);
  const unknown = clones.filter((_, index) => !KNOWN[pairs[index]!]).map((clone) => `${clone.firstFile.name}:${clone.firstFile.start}-${clone.firstFile.end} ~ ${clone.secondFile.name}:${clone.secondFile.start}-${clone.secondFile.end}`);
  t.deepEqual(unknown, [], 'new repeated logic: make it one helper, or add it to KNOWN with its reason');
});

test('the copy check sees a repeat: two files sharing a 12-line function are reported', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'tbx-jscpd-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const body = Array.from({ length: 12 }, (_, index) => `  const value${index} = input.map((item) => item * ${index + 2}).filter((item) => item > ${index});`).join('\n');
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync(join(out, 'src'));
  writeFileSync(join(out, 'src', 'a.ts'), `export function a(input: number[]) {\n${body}\n  return input;\n}\n`);
  writeFileSync(join(out, 'src', 'b.ts'), `export function b(input: number[]) {\n${body}\n  return input;\n}\n`);
  const result = await run(process.execPath, [JSCPD, '--min-lines', '10', '--min-tokens', '50', '--format', 'typescript', '--reporters', 'json', '--output', join(out, 'report'), '--silent', 'src'], { cwd: out });
  t.is(result.exitCode, 0, result.stderr);
  t.is((JSON.parse(readFileSync(join(out, 'report', 'jscpd-report.json'), 'utf8')) as { duplicates: Clone[] }).duplicates.length, 1);
});
