import test from 'ava';
import { parseWindowsShortcuts, splitWindowsCommandLine, WINDOWS_APPS_SCRIPT, windowsAppsRequest } from '../../../plugins/qga/index.js';

interface Shortcut {
  Name: string;
  Path: string;
  Folder: string;
  TargetPath: string;
  Arguments: string;
  WorkingDirectory: string;
}

const PROGRAMS = 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs';

const SHORTCUTS: Shortcut[] = [
  {
    Name: 'Notepad++',
    Path: `${PROGRAMS}\\Notepad++.lnk`,
    Folder: '',
    TargetPath: 'C:\\Program Files\\Notepad++\\notepad++.exe',
    Arguments: '',
    WorkingDirectory: 'C:\\Program Files\\Notepad++',
  },
  {
    Name: 'Paint & Draw',
    Path: `${PROGRAMS}\\Graphics\\Paint & Draw.lnk`,
    Folder: 'Graphics',
    TargetPath: 'C:\\Program Files (x86)\\Paint\\paint.exe',
    Arguments: '--profile "C:\\Users\\Public\\Paint Profile" -x',
    WorkingDirectory: '',
  },
  {
    Name: 'Uninstall Notepad++',
    Path: `${PROGRAMS}\\Notepad++\\Uninstall Notepad++.lnk`,
    Folder: 'Notepad++',
    TargetPath: 'C:\\Program Files\\Notepad++\\uninstall.exe',
    Arguments: '',
    WorkingDirectory: '',
  },
];

/**
 * What Windows PowerShell 5.1's `ConvertTo-Json` prints for piped objects: one object alone
 * when a single item comes down the pipe, an array otherwise; `& ' < >` as \u escapes; and,
 * without -Compress, 4-space indentation with two spaces after each colon.
 */
function convertToJson(items: readonly Shortcut[], compress: boolean): string {
  const escape = (text: string): string => text.replace(/[&'<>]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const value = (text: string): string => escape(JSON.stringify(text));
  const object = (item: Shortcut, indent: string): string => {
    const fields = Object.entries(item).map(([key, field]) => (compress ? `"${key}":${value(field)}` : `${indent}    "${key}":  ${value(field)}`));
    return compress ? `{${fields.join(',')}}` : `${indent}{\r\n${fields.join(',\r\n')}\r\n${indent}}`;
  };
  if (items.length === 0) return '';
  if (items.length === 1) return object(items[0], '');
  return compress ? `[${items.map((item) => object(item, '')).join(',')}]` : `[\r\n${items.map((item) => object(item, '    ')).join(',\r\n')}\r\n]`;
}

test('a ConvertTo-Json array of shortcuts becomes gui apps, uninstallers left out', (t) => {
  for (const compress of [true, false]) {
    const apps = parseWindowsShortcuts(`${convertToJson(SHORTCUTS, compress)}\r\n`);
    t.deepEqual(apps, [
      {
        id: 'notepad',
        name: 'Notepad++',
        kind: 'gui',
        command: ['C:\\Program Files\\Notepad++\\notepad++.exe'],
        source: `${PROGRAMS}\\Notepad++.lnk`,
      },
      {
        id: 'paint-draw',
        name: 'Paint & Draw',
        kind: 'gui',
        command: ['C:\\Program Files (x86)\\Paint\\paint.exe', '--profile', 'C:\\Users\\Public\\Paint Profile', '-x'],
        categories: ['Graphics'],
        source: `${PROGRAMS}\\Graphics\\Paint & Draw.lnk`,
      },
    ]);
  }
});

test('a single shortcut comes as one object, not an array', (t) => {
  const output = convertToJson([SHORTCUTS[1]], false);
  t.true(output.startsWith('{'));
  t.deepEqual(
    parseWindowsShortcuts(output).map((app) => app.id),
    ['paint-draw'],
  );
});

test('no shortcuts print nothing; a byte-order mark and shortcuts without an exe target are tolerated', (t) => {
  t.deepEqual(parseWindowsShortcuts(''), []);
  t.deepEqual(parseWindowsShortcuts('\r\n'), []);
  const advertised = { ...SHORTCUTS[0], Name: 'Office', TargetPath: '' };
  const manual = { ...SHORTCUTS[0], Name: 'Manual', TargetPath: 'C:\\Program Files\\App\\manual.chm' };
  t.deepEqual(
    parseWindowsShortcuts(`\uFEFF${convertToJson([advertised, manual, SHORTCUTS[0]], true)}`).map((app) => app.name),
    ['Notepad++'],
  );
});

test('duplicate shortcut names keep the first', (t) => {
  const copy = { ...SHORTCUTS[0], Path: `${PROGRAMS}\\Editors\\Notepad++.lnk` };
  const apps = parseWindowsShortcuts(convertToJson([SHORTCUTS[0], copy], true));
  t.is(apps.length, 1);
  t.is(apps[0]?.source, `${PROGRAMS}\\Notepad++.lnk`);
});

test('invalid JSON is reported as a discovery failure', (t) => {
  const error = t.throws(() => parseWindowsShortcuts('[{"Name": '));
  t.is((error as { code?: string } | undefined)?.code, 'guest-app-discovery-failed');
});

test('shortcut arguments are split by the Windows command-line rules', (t) => {
  t.deepEqual(splitWindowsCommandLine(''), []);
  t.deepEqual(splitWindowsCommandLine('a  "b c"\td'), ['a', 'b c', 'd']);
  t.deepEqual(splitWindowsCommandLine('"C:\\dir\\\\" x'), ['C:\\dir\\', 'x']);
  t.deepEqual(splitWindowsCommandLine('a\\\\b \\"q\\" "in ""quotes"""'), ['a\\\\b', '"q"', 'in "quotes"']);
  t.deepEqual(splitWindowsCommandLine('""'), ['']);
});

test('the Start Menu script is sent as an encoded PowerShell command', (t) => {
  const request = windowsAppsRequest(5_000);
  t.is(request.path, 'powershell.exe');
  const encoded = request.args?.[request.args.indexOf('-EncodedCommand') + 1] ?? '';
  t.is(Buffer.from(encoded, 'base64').toString('utf16le'), WINDOWS_APPS_SCRIPT);
  t.true(WINDOWS_APPS_SCRIPT.includes('ConvertTo-Json'));
  t.true(WINDOWS_APPS_SCRIPT.includes('WScript.Shell'));
  t.is(request.timeoutMs, 5_000);
});
