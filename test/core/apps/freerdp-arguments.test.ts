import test from 'ava';
import { isTwinboxError } from 'twinbox/plugin-api';
import { freeRdpArguments, windowsQuote, type RemoteAppRequest } from '../../../src/core/apps/freerdp-arguments.js';
import { parseFreeRdpVersion } from '../../../src/core/apps/freerdp-client.js';
import { freeRdpFailure } from '../../../src/core/apps/freerdp-exit.js';
import { oneTimePassword } from '../../../src/core/apps/one-time-password.js';
import { rdpDrives } from '../../../src/core/apps/rdp-drives.js';
import { FREERDP_OUTPUT } from './helpers/freerdp-stand-in.js';

const REQUEST: RemoteAppRequest = {
  address: { host: '127.0.0.1', port: 40321 },
  user: 'twinbox',
  program: 'C:\\Program Files\\Office\\WINWORD.EXE',
  args: ['\\\\tsclient\\docs\\report.docx'],
  name: 'Word',
  wmClass: 'twinbox-office-word',
  drives: [{ name: 'docs', path: '/home/ann/Documents' }],
};

test('the FreeRDP version is read from the banners of FreeRDP 2 and 3, and anything else is not taken for one', (t) => {
  t.deepEqual(parseFreeRdpVersion(`${FREERDP_OUTPUT.version2}\n`), { version: '2.11.7', major: 2 });
  t.deepEqual(parseFreeRdpVersion(FREERDP_OUTPUT.version3), { version: '3.5.1', major: 3 });
  t.deepEqual(parseFreeRdpVersion('This is FreeRDP version [3.10.3] (n/a)'), { version: '3.10.3', major: 3 });
  t.deepEqual(parseFreeRdpVersion('This is FreeRDP version 3.0.0-beta4 (n/a)'), { version: '3.0.0', major: 3 });
  t.is(parseFreeRdpVersion('xfreerdp: command not found'), undefined);
});

test('FreeRDP 3 gets one /app: option of program, name and cmd, and /cert:tofu; the SDL client no WM_CLASS', (t) => {
  t.deepEqual(freeRdpArguments({ major: 3, toolkit: 'x11' }, REQUEST), [
    '/v:127.0.0.1:40321',
    '/u:twinbox',
    '/from-stdin:force',
    '/cert:tofu',
    '+clipboard',
    '/wm-class:twinbox-office-word',
    '/drive:docs,/home/ann/Documents',
    '/app:program:C:\\Program Files\\Office\\WINWORD.EXE,name:Word,cmd:\\\\tsclient\\docs\\report.docx',
  ]);
  const sdl = freeRdpArguments({ major: 3, toolkit: 'sdl' }, { ...REQUEST, args: [], drives: [], address: { host: 'fe80::1', port: 3389 } });
  t.deepEqual(sdl, ['/v:[fe80::1]:3389', '/u:twinbox', '/from-stdin:force', '/cert:tofu', '+clipboard', '/app:program:C:\\Program Files\\Office\\WINWORD.EXE,name:Word']);
});

test('FreeRDP 2 gets /app:, /app-name: and /app-cmd: as separate options, and /cert-tofu', (t) => {
  const args = freeRdpArguments({ major: 2, toolkit: 'x11' }, { ...REQUEST, domain: 'CORP', args: ['a,b.docx'] });
  t.deepEqual(args.slice(0, 5), ['/v:127.0.0.1:40321', '/u:twinbox', '/d:CORP', '/from-stdin:force', '/cert-tofu']);
  t.deepEqual(args.slice(-3), ['/app:C:\\Program Files\\Office\\WINWORD.EXE', '/app-name:Word', '/app-cmd:a,b.docx']);
});

test('a comma FreeRDP 3 would split /app: on is quoted, and one beside a quote character is refused naming both, not passed on mangled', (t) => {
  const quoted = freeRdpArguments({ major: 3, toolkit: 'x11' }, { ...REQUEST, args: ['a,b.docx'] });
  t.is(quoted.at(-1), '/app:"cmd:a,b.docx",program:C:\\Program Files\\Office\\WINWORD.EXE,name:Word');
  const error = t.throws(() => freeRdpArguments({ major: 3, toolkit: 'x11' }, { ...REQUEST, args: ["Bob's a,b.docx"] }));
  t.true(isTwinboxError(error));
  t.regex(error!.message, /^FreeRDP 3 cannot pass "cmd:\"Bob's a,b.docx\"" in its \/app: option: the comma \(,\) cannot be quoted in an option that also holds the apostrophe/);
});

test('arguments are quoted as Windows splits a command line (CommandLineToArgvW)', (t) => {
  t.is(windowsQuote('plain.txt'), 'plain.txt');
  t.is(windowsQuote(''), '""');
  t.is(windowsQuote('annual report.docx'), '"annual report.docx"');
  t.is(windowsQuote('say "hi"'), '"say \\"hi\\""');
  t.is(windowsQuote('C:\\My Files\\'), '"C:\\My Files\\\\"');
  t.is(windowsQuote('a\\"b c'), '"a\\\\\\"b c"');
});

test('only shared folders the guest sees as \\\\tsclient\\NAME become RDP drives; a path FreeRDP 2 cannot spell (a comma) is skipped with the reason', (t) => {
  const folders = [
    { host: '/home/ann/Documents', guest: '\\\\tsclient\\docs' },
    { host: '/home/ann/Music', guest: '\\\\TSCLIENT\\music\\' },
    { host: '/srv/data', guest: '/mnt/data' },
    { host: '/srv/a,b', guest: '\\\\tsclient\\ab' },
  ];
  const plan = rdpDrives(folders, 2);
  t.deepEqual(plan.drives, [{ name: 'docs', path: '/home/ann/Documents' }, { name: 'music', path: '/home/ann/Music' }]);
  t.deepEqual(plan.skipped.map((skip) => skip.folder.host), ['/srv/a,b']);
  t.regex(plan.skipped[0]!.reason, /FreeRDP 2 cannot pass "\/srv\/a,b" in its \/drive: option: the comma/);
  // FreeRDP 3 quotes it: /drive:ab,"/srv/a,b".
  t.deepEqual(rdpDrives(folders, 3).drives.at(-1), { name: 'ab', path: '/srv/a,b' });
  t.deepEqual(rdpDrives([{ host: "/srv/a,b'c", guest: '\\\\tsclient\\x' }], 3).skipped.length, 1);
});

test('FreeRDP exit codes: failures are told apart from sessions that simply ended', (t) => {
  t.is(freeRdpFailure(0), undefined);
  t.is(freeRdpFailure(11), undefined, 'the user closed the window');
  t.deepEqual(freeRdpFailure(132), { meaning: 'authentication failure', kind: 'signin' });
  t.deepEqual(freeRdpFailure(131), { meaning: 'connection failed', kind: 'connect' });
  t.deepEqual(freeRdpFailure(128), { meaning: 'command line not accepted', kind: 'client' });
  t.deepEqual(freeRdpFailure(77), { meaning: 'exit 77', kind: 'unknown' });
  // WinPR's COMMAND_LINE_ERROR (-1000) returned from main(): 24, as FreeRDP 2.11.7 exits for a missing /drive: folder.
  t.is(freeRdpFailure(24)?.kind, 'client');
  t.regex(freeRdpFailure(24)!.meaning, /^command line not accepted/);
  t.regex(freeRdpFailure(147)!.meaning, /^connection failed/);
  t.is(freeRdpFailure(1), undefined, 'XF_EXIT_DISCONNECT: the session ended');
  t.deepEqual(freeRdpFailure(1, '[ERROR][com.freerdp.client.x11] - failed to open display: '), { meaning: 'no display to open a window on', kind: 'display' });
  t.deepEqual(freeRdpFailure(null), { meaning: 'killed by a signal', kind: 'unknown' });
});

test('one-time passwords differ each time, have no newline and mix lower, upper, digit and symbol', (t) => {
  const passwords = new Set(Array.from({ length: 50 }, () => oneTimePassword()));
  t.is(passwords.size, 50);
  for (const password of passwords) {
    t.true(password.length >= 36);
    t.false(password.includes('\n'));
    t.regex(password, /[a-z]/);
    t.regex(password, /[A-Z]/);
    t.regex(password, /[0-9]/);
    t.regex(password, /[-_.!]/);
  }
});
