import test from 'ava';
import { isTwinboxError } from 'twinbox/plugin-api';
import { freeRdp2Arguments, freeRdp3Arguments, freeRdp3List, windowsQuote, type RemoteAppRequest } from '../../../src/core/apps/freerdp-arguments.js';
import { winPrCommaList, type WinPrVariant } from './helpers/winpr-comma-list.js';

// FreeRDP 3 is not in Debian 12: its /app: and /drive: parsing is checked against a model of
// WinPR's comma-list parser ported from FreeRDP's source (helpers/winpr-comma-list.ts names the
// files and lines). FreeRDP 2 runs for real in test/e2e/freerdp-xrdp.test.ts.

const VARIANTS: readonly WinPrVariant[] = ['3.0', '3.17'];

const REQUEST: RemoteAppRequest = {
  address: { host: '127.0.0.1', port: 3389 },
  user: 'twinbox',
  program: 'C:\\Program Files\\Office\\WINWORD.EXE',
  args: [],
  name: 'Word',
  wmClass: 'twinbox-office-word',
  drives: [],
};

/** Names a Windows or Linux app, file or folder may have: every printable ASCII character in three places, and more. */
function corpus(): string[] {
  const names = ["Rapport d'activité", "Bob's files", 'say "hi"', 'a,b', "a,b'c", 'both \' and "', 'Grüße 日本語 🙂', 'tab\there', 'line\nbreak', 'ends in \\', 'C:\\Program Files\\X', '\\\\tsclient\\docs\\x.docx', ''];
  for (let code = 0x20; code < 0x7f; code++) {
    const char = String.fromCharCode(code);
    names.push(`a${char}b`, `${char}start`, `end${char}`);
  }
  return names;
}

const NAMED = /the apostrophe \(\x27\)|the double quote \("\)|the comma \(,\)|a trailing backslash/;

function sorted(values: readonly string[] | undefined): string[] | undefined {
  return values ? [...values].sort() : undefined;
}

test('the WinPR model reproduces what FreeRDP 3 is documented by its source to do with quotes, commas and backslashes', (t) => {
  for (const variant of VARIANTS) {
    t.deepEqual(winPrCommaList('program:a,name:b', variant), ['program:a', 'name:b'], variant);
    t.is(winPrCommaList("program:x,name:Bob's files", variant), undefined, `${variant}: a quote inside an unquoted item (get_next_comma)`);
    // What twinbox wrote before, an unquoted cmd:"…", passed only as the last item with balanced
    // quotes (get_next_comma logs "Invalid quoted argument" and the rest is kept); not otherwise.
    t.deepEqual(winPrCommaList('program:v,name:V,cmd:"annual report.docx"', variant), ['program:v', 'name:V', 'cmd:"annual report.docx"'], variant);
    t.notDeepEqual(winPrCommaList('program:v,cmd:"annual report.docx",name:V', variant), ['program:v', 'cmd:"annual report.docx"', 'name:V'], variant);
    t.deepEqual(winPrCommaList("\"program:x,name:Bob's files\"", variant), ['program:x', "name:Bob's files"], `${variant}: full-quoted`);
    t.is(winPrCommaList('"program:a","name:b"', variant), undefined, `${variant}: both ends quoted reads as full-quoted, with a quote inside`);
    t.is(winPrCommaList('"program:a",\'name:b\'', variant), undefined, `${variant}: quote mismatch`);
    t.deepEqual(winPrCommaList('docs,"/srv/a,b"', variant, 'drive'), ['drive', 'docs', '/srv/a,b'], variant);
  }
  t.deepEqual(winPrCommaList('program:v,name:V,cmd:"Bob\'s file.docx"', '3.0'), ['program:v', 'name:V', 'cmd:"Bob\'s file.docx"']);
  t.is(winPrCommaList('program:v,name:V,cmd:"Bob\'s file.docx"', '3.17'), undefined, "3.17 takes the ' for the closing quote");
  t.deepEqual(winPrCommaList("\"name:Bob's files\",program:x", '3.0'), ["name:Bob's files", 'program:x']);
  t.is(winPrCommaList("\"name:Bob's files\",program:x", '3.17'), undefined, "3.17 counts ' and \" as one quote (main line 584)");
  t.deepEqual(winPrCommaList('program:C:\\dir\\,name:x', '3.0'), ['program:C:\\dir\\', 'name:x']);
  t.deepEqual(winPrCommaList('program:C:\\dir\\,name:x', '3.17'), ['program:C:\\dir\\,name:x'], '3.17: the backslash escapes the comma');
  t.deepEqual(winPrCommaList("program:p,'cmd:\"x\" y'", '3.0'), ['program:p', 'cmd:"x'], "a last item quoted in ' is cut at its last \" (strrchr, 3.5.1 line 766)");
});

test('FreeRDP 3: every name in /app: comes back whole from WinPR 3.0–3.16 and 3.17–main, or is refused naming the character', (t) => {
  let passed = 0;
  let refused = 0;
  for (const value of corpus()) {
    for (const request of [{ ...REQUEST, name: value }, { ...REQUEST, args: [value] }, { ...REQUEST, program: `C:\\Apps\\${value}.exe` }]) {
      let args: string[];
      try {
        args = freeRdp3Arguments(request);
      } catch (error) {
        t.true(isTwinboxError(error), String(error));
        t.regex((error as Error).message, /^FreeRDP 3 cannot pass /);
        t.regex((error as Error).message, NAMED, `refusal of ${JSON.stringify(value)} names the character`);
        t.regex(value, /[,'"\\]/, `only a comma, a quote or a backslash is ever refused: ${JSON.stringify(value)}`);
        refused++;
        continue;
      }
      const app = args.find((arg) => arg.startsWith('/app:'))!.slice('/app:'.length);
      const expected = [`program:${request.program}`, `name:${request.name}`, ...(request.args.length ? [`cmd:${request.args.map(windowsQuote).join(' ')}`] : [])];
      for (const variant of VARIANTS) t.deepEqual(sorted(winPrCommaList(app, variant)), sorted(expected), `${variant}: /app:${app}`);
      passed++;
    }
  }
  t.true(passed > 500, `${passed} passed whole`);
  t.true(refused > 0 && refused < 60, `${refused} refused`);
});

test('FreeRDP 3: a /drive: path comes back whole as NAME and PATH, or is refused naming the character', (t) => {
  const accepted: string[] = [];
  for (const value of corpus()) {
    const path = `/srv/${value}`;
    let args: string[];
    try {
      args = freeRdp3Arguments({ ...REQUEST, drives: [{ name: 'docs', path }] });
    } catch (error) {
      t.regex((error as Error).message, /^FreeRDP 3 cannot pass .* in its \/drive: option: /);
      t.regex((error as Error).message, NAMED);
      continue;
    }
    const drive = args.find((arg) => arg.startsWith('/drive:'))!.slice('/drive:'.length);
    for (const variant of VARIANTS) t.deepEqual(winPrCommaList(drive, variant, 'drive'), ['drive', 'docs', path], `${variant}: /drive:${drive}`);
    accepted.push(value);
  }
  for (const name of ["Bob's files", 'say "hi"', 'a,b', 'Grüße 日本語 🙂', 'C:\\Program Files\\X']) t.true(accepted.includes(name), name);
  t.throws(() => freeRdp3List('/drive:', ['docs', `/srv/a,b'c`], false), { message: /the comma \(,\) cannot be quoted in an option that also holds the apostrophe/ });
  t.throws(() => freeRdp3List('/drive:', ['docs', `/srv/both ' and "`], false), { message: /the double quote \("\) cannot be quoted together with the apostrophe/ });
  t.throws(() => freeRdp3List('/drive:', ['docs', '/srv/ends in \\'], false), { message: /a trailing backslash \(\\\) escapes the separator after it in FreeRDP 3\.17 and later/ });
});

test('FreeRDP 2 takes /app:, /app-name: and /app-cmd: as they are, and refuses only a comma in a /drive: path (2.x splits on every comma)', (t) => {
  for (const value of corpus()) {
    const args = freeRdp2Arguments({ ...REQUEST, name: value, program: `C:\\Apps\\${value}.exe` });
    t.true(args.includes(`/app-name:${value}`));
    t.true(args.includes(`/app:C:\\Apps\\${value}.exe`));
    const drive = { name: 'docs', path: `/srv/${value}` };
    if (value.includes(',')) {
      t.throws(() => freeRdp2Arguments({ ...REQUEST, drives: [drive] }), { message: /^FreeRDP 2 cannot pass ".*" in its \/drive: option: the comma \(,\) splits \/drive: \(FreeRDP 2 has no quoting for it\)$/s });
    } else {
      t.true(freeRdp2Arguments({ ...REQUEST, drives: [drive] }).includes(`/drive:docs,/srv/${value}`));
    }
  }
  t.throws(() => freeRdp2Arguments({ ...REQUEST, user: 'CORP\\ann' }), { message: /splits the user name into DOMAIN\\user/ });
  t.notThrows(() => freeRdp2Arguments({ ...REQUEST, user: 'CORP\\ann', domain: 'CORP' }));
});
