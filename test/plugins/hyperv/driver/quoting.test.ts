import test from 'ava';
import { psInteger, psString } from '../../../../plugins/hyperv/driver/ps-literal.js';
import { extractEnvelope, framedLines } from '../../../../plugins/hyperv/driver/framing.js';
import { psJson } from '../transcripts/powershell-output.js';

test('ASCII values become single-quoted literals with quotes doubled, so nothing inside is evaluated', (t) => {
  t.is(psString('twinbox-demo'), "'twinbox-demo'");
  t.is(psString("it's"), "'it''s'");
  t.is(psString('$(Stop-Computer) `n "x" ; & calc'), '\'$(Stop-Computer) `n "x" ; & calc\'');
  t.is(psString(''), "''");
  t.is(psString('\\\\.\\pipe\\twinbox-demo'), "'\\\\.\\pipe\\twinbox-demo'");
});

test('non-ASCII values (typographic quotes PowerShell also treats as quotes, umlauts) are decoded from base64 at run time', (t) => {
  for (const value of ['it’s', '‘quoted’', 'Übersicht', 'C:\\Users\\Zoë\\vm']) {
    const literal = psString(value);
    const base64 = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(literal)?.[1];
    t.truthy(base64, literal);
    t.is(Buffer.from(base64!, 'base64').toString('utf8'), value);
    t.false(/[^\x20-\x7e]/.test(literal));
  }
});

test('control characters (which would end the command line) are refused', (t) => {
  t.throws(() => psString('a\nb'), { message: /control characters/ });
  t.throws(() => psString('a\rb'));
  t.throws(() => psString('nul\u0000'));
});

test('numbers must be whole', (t) => {
  t.is(psInteger(1073741824), '1073741824');
  t.throws(() => psInteger(1.5));
  t.throws(() => psInteger(Number.NaN));
});

test('each command is framed by marker echoes on separate lines around one wrapped line', (t) => {
  const lines = framedLines('ab12-7', '$null').split('\n');
  t.is(lines.length, 4);
  t.is(lines[0], "Write-Output '<<twinbox:begin:ab12-7>>'");
  t.regex(lines[1]!, /^try \{ \$ErrorActionPreference = 'Stop'; \$twinboxResult = & \{ \$null \}; .*ConvertTo-Json -Depth 4 -Compress \} catch \{ .*category = \$_\.CategoryInfo\.Category\.ToString\(\).* \}$/);
  t.is(lines[2], "Write-Output '<<twinbox:end:ab12-7>>'");
  t.is(lines[3], '');
});

test('the envelope is found among other output, with Windows PowerShell’s escapes and a byte-order mark', (t) => {
  const envelope = psJson({ ok: true, value: { Name: "it's <b> & c" } });
  t.deepEqual(extractEnvelope(`\uFEFFWARNING: something\r\n${envelope}\r\n`), { ok: true, value: { Name: "it's <b> & c" } });
  t.deepEqual(extractEnvelope('{"ok":false,"error":"x","category":"PermissionDenied","errorId":"Unspecified,Microsoft.HyperV.PowerShell.Commands.GetVM"}'), {
    ok: false,
    error: 'x',
    category: 'PermissionDenied',
    errorId: 'Unspecified,Microsoft.HyperV.PowerShell.Commands.GetVM',
  });
  t.is(extractEnvelope('{"not":"an envelope"}\r\nplain text'), undefined);
});
