import test from 'ava';
import { defaultOpener } from '../../../src/core/redirection/guest-opener.js';

test('a Linux guest opens an address with xdg-open, the address one argument', (t) => {
  t.deepEqual(defaultOpener('debian', 'http://a.example/?x=1&y=2'), ['xdg-open', 'http://a.example/?x=1&y=2']);
});

test('a Windows guest opens it with Start-Process, the address a PowerShell literal: an & or a quote cannot start a command', (t) => {
  const argv = defaultOpener('mswindows', "http://a.example/?x=1&calc.exe&q='; Remove-Item C:\\ -Recurse; '");
  t.deepEqual(argv.slice(0, 4), ['powershell.exe', '-NoProfile', '-NonInteractive', '-Command']);
  t.is(argv[4], "Start-Process -FilePath 'http://a.example/?x=1&calc.exe&q=''; Remove-Item C:\\ -Recurse; '''");
  t.false(argv.includes('cmd.exe'));
});
