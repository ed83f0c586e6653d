import { execFile } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { desktopEntry } from '../../../src/core/publishing/desktop-entry.js';
import { shimNames } from '../../../src/core/publishing/shim-names.js';
import { shimScript } from '../../../src/core/publishing/shim-script.js';
import { tempDir } from '../../helpers/temp.js';

const exec = promisify(execFile);

test('shim names are the workspace and a cleaned app id, unique even when two ids clean up alike', (t) => {
  const names = shimNames('office', ['org.gnome.Terminal', 'Text Editor', 'text-editor', '../../etc/passwd', "it's $(rm -rf ~)", '']);
  t.deepEqual(Object.fromEntries(names), {
    '': 'office-app',
    '../../etc/passwd': 'office-etc-passwd',
    "it's $(rm -rf ~)": 'office-it-s-rm-rf',
    'Text Editor': 'office-text-editor',
    'org.gnome.Terminal': 'office-org.gnome.terminal',
    'text-editor': 'office-text-editor-2',
  });
  for (const name of names.values()) t.regex(name, /^[a-z0-9][a-z0-9._-]*$/);
});

test('a shim passes an app id and arguments through literally, whatever quotes and $ they hold', async (t) => {
  const dir = tempDir(t);
  const shim = join(dir, 'shim');
  // printf stands in for node: the shim's argv comes back one per line.
  await writeFile(shim, shimScript({ node: '/usr/bin/printf', script: "%s\\n", home: "/tmp/it's home" }, 'office', "it's $(touch pwned) `id`"));
  await chmod(shim, 0o700);
  const { stdout } = await exec(shim, ['a b', '$HOME', "'"], { cwd: dir, env: { PATH: '/usr/bin:/bin' } });
  t.deepEqual(stdout.split('\n').slice(0, -1), ['run', '--quiet', '--map-paths', 'office', "it's $(touch pwned) `id`", '--', 'a b', '$HOME', "'"]);
  t.false((await exec('ls', [dir])).stdout.includes('pwned'));
  const printsHome = await exec('/bin/sh', ['-c', `sed -n 4p '${shim}'`]);
  t.is(printsHome.stdout, "TWINBOX_HOME='/tmp/it'\\''s home'\n");
});

/** Reads a desktop entry as a desktop would: one group, key=value lines, then Exec's quoting rules. */
function parseDesktopEntry(text: string): Record<string, string> {
  const lines = text.split('\n').filter((line) => line !== '');
  if (lines[0] !== '[Desktop Entry]') throw new Error('no [Desktop Entry] group first');
  const values: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const found = /^([A-Za-z0-9-]+)=(.*)$/.exec(line);
    if (!found) throw new Error(`not a key=value line: ${line}`);
    if (Object.hasOwn(values, found[1]!)) throw new Error(`duplicate key ${found[1]}`);
    values[found[1]!] = found[2]!.replace(/\\(.)/g, (_, character: string) => ({ s: ' ', n: '\n', t: '\t', r: '\r' })[character] ?? character);
  }
  for (const required of ['Type', 'Name', 'Exec']) if (!values[required]) throw new Error(`${required} missing`);
  return values;
}

function execArgv(exec: string): string[] {
  const argv: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const found of exec.matchAll(pattern)) argv.push(found[1] !== undefined ? found[1].replace(/\\(["`$\\])/g, '$1') : found[2]!);
  return argv;
}

test('a desktop entry is valid, names the workspace, and its Exec runs the shim even from a path with quotes and spaces', (t) => {
  const shimPath = '/home/a "b"/bin/$x\\y%z/office-editor';
  const text = desktopEntry({ id: 'editor', name: 'Text\nEditor', kind: 'gui', categories: ['Office', 'Utility', 'bad;category'] }, 'office', shimPath);
  const entry = parseDesktopEntry(text);
  t.is(entry.Type, 'Application');
  t.is(entry.Name, 'Text Editor (office)');
  t.is(entry.Terminal, 'false');
  t.is(entry.Categories, 'Office;Utility;');
  t.deepEqual(execArgv(entry.Exec!.replaceAll('%%', '%')), [shimPath, '%F']);
  t.is(parseDesktopEntry(desktopEntry({ id: 'shell', name: 'Shell', kind: 'terminal' }, 'office', '/bin/office-shell')).Terminal, 'true');
});

test('the shipped http(s) handler is a valid desktop entry that runs twinbox open with the address', async (t) => {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(new URL('../../../../share/applications/twinbox-open.desktop', import.meta.url), 'utf8');
  const entry = parseDesktopEntry(text);
  t.is(entry.Type, 'Application');
  t.deepEqual(execArgv(entry.Exec!), ['twinbox', 'open', '%u']);
  t.deepEqual(entry.MimeType!.split(';').filter(Boolean), ['x-scheme-handler/http', 'x-scheme-handler/https']);
  t.is(entry.NoDisplay, 'true');
});
