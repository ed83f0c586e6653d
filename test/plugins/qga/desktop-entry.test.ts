import test from 'ava';
import { desktopEntryApp, parseExecLine, readDesktopEntry } from '../../../plugins/qga/index.js';

const where = { id: 'app', source: '/usr/share/applications/app.desktop' };

function entry(lines: string[]): string {
  return lines.join('\n');
}

test('field codes are removed from Exec, whole arguments and embedded ones', (t) => {
  t.deepEqual(parseExecLine('gedit %U'), ['gedit']);
  t.deepEqual(parseExecLine('vlc --started-from-file %f %F %u %i %c %k'), ['vlc', '--started-from-file']);
  t.deepEqual(parseExecLine('app --file=%f'), ['app', '--file=']);
  t.deepEqual(parseExecLine('printf 100%%'), ['printf', '100%']);
  t.deepEqual(parseExecLine('app "%F"'), ['app']);
});

test('Exec quoting follows the freedesktop rules', (t) => {
  t.deepEqual(parseExecLine('"/opt/My App/bin/app" --name "two words"'), ['/opt/My App/bin/app', '--name', 'two words']);
  t.deepEqual(parseExecLine('sh -c "echo \\"hi\\" \\$HOME \\`x\\` \\\\"'), ['sh', '-c', 'echo "hi" $HOME `x` \\']);
  t.deepEqual(parseExecLine('app ""  tail'), ['app', '', 'tail']);
  t.deepEqual(parseExecLine('  spaced   out  '), ['spaced', 'out']);
});

test('string escapes apply before the Exec quoting rules', (t) => {
  // In the file a literal backslash inside a quoted argument takes four backslashes.
  const keys = readDesktopEntry(entry(['[Desktop Entry]', 'Exec=sh -c "printf \\\\\\\\n"', 'Comment=a\\sb\\tc']));
  t.is(keys?.get('Exec'), 'sh -c "printf \\\\n"');
  t.deepEqual(parseExecLine(keys?.get('Exec') ?? ''), ['sh', '-c', 'printf \\n']);
  t.is(keys?.get('Comment'), 'a b\tc');
});

test('only the [Desktop Entry] group counts', (t) => {
  const text = entry([
    '# comment',
    '[Desktop Entry]',
    'Type=Application',
    'Name=Firefox',
    'Name[de]=Feuerfuchs',
    'Exec=firefox %u',
    'Categories=Network;WebBrowser;',
    '',
    '[Desktop Action new-window]',
    'Name=New Window',
    'Exec=firefox --new-window %u',
    'Terminal=true',
  ]);
  t.deepEqual(desktopEntryApp(text, where), {
    id: 'app',
    name: 'Firefox',
    kind: 'gui',
    command: ['firefox'],
    categories: ['Network', 'WebBrowser'],
    source: where.source,
  });
  t.is(readDesktopEntry('[Other]\nName=x'), undefined);
});

test('Terminal=true makes a terminal app and X-Twinbox-Kind=command a command', (t) => {
  const base = ['[Desktop Entry]', 'Type=Application', 'Name=htop', 'Exec=htop'];
  t.is(desktopEntryApp(entry([...base, 'Terminal=true']), where)?.kind, 'terminal');
  t.is(desktopEntryApp(entry([...base, 'Terminal=false']), where)?.kind, 'gui');
  t.is(desktopEntryApp(entry([...base, 'Terminal=true', 'X-Twinbox-Kind=command']), where)?.kind, 'command');
});

test('hidden, NoDisplay, non-application and Exec-less entries are skipped', (t) => {
  const base = ['[Desktop Entry]', 'Type=Application', 'Name=x', 'Exec=x'];
  t.truthy(desktopEntryApp(entry(base), where));
  t.is(desktopEntryApp(entry([...base, 'NoDisplay=true']), where), undefined);
  t.is(desktopEntryApp(entry([...base, 'Hidden=true']), where), undefined);
  t.is(desktopEntryApp(entry(['[Desktop Entry]', 'Type=Link', 'Name=x', 'URL=https://example.org']), where), undefined);
  t.is(desktopEntryApp(entry(['[Desktop Entry]', 'Type=Application', 'Name=x']), where), undefined);
  t.is(desktopEntryApp(entry(['[Desktop Entry]', 'Type=Application', 'Name=x', 'Exec=%F']), where), undefined);
});

test('keys are read with spaces around = and the first duplicate wins', (t) => {
  const keys = readDesktopEntry(entry(['[Desktop Entry]', 'Name = Spaced ', 'Name=Second', 'Type=Application']));
  t.is(keys?.get('Name'), 'Spaced');
});
