import test from 'ava';
import { TranscriptRunner } from '../../../src/testing/transcript-runner.js';
import { HANDLER_DESKTOP_FILE, OPENING_ENV, openOnHost } from '../../../src/core/redirection/host-opener.js';

const URL_TEXT = 'https://example.org/page?q=1';
const notTwinbox = { argv: ['xdg-mime', 'query', 'default', 'x-scheme-handler/https'], stdout: 'firefox.desktop\n' };

test('an address goes to xdg-open with the loop guard set in its environment', async (t) => {
  const runner = new TranscriptRunner([notTwinbox, { argv: ['xdg-open', URL_TEXT], env: { [OPENING_ENV]: '1' } }]);
  const opened = await openOnHost(URL_TEXT, 'url', { runner, env: {}, selfPaths: [] });
  t.is(opened.via, 'xdg-open');
  runner.assertDone();
});

test('$BROWSER comes first, with %s replaced, and an entry that is twinbox itself is skipped', async (t) => {
  const runner = new TranscriptRunner([{ argv: ['my-browser', '--new-tab', URL_TEXT] }]);
  const opened = await openOnHost(URL_TEXT, 'url', { runner, env: { BROWSER: '/usr/local/bin/twinbox open:my-browser --new-tab %s' }, selfPaths: [] });
  t.is(opened.via, '$BROWSER (my-browser)');
  t.deepEqual(opened.skipped, ['$BROWSER entry /usr/local/bin/twinbox is twinbox itself']);
  runner.assertDone();
});

test('a $BROWSER entry whose real path is this twinbox (a renamed link) is skipped too', async (t) => {
  const runner = new TranscriptRunner([notTwinbox, { argv: ['xdg-open', URL_TEXT] }]);
  const self = process.execPath;
  const opened = await openOnHost(URL_TEXT, 'url', { runner, env: { BROWSER: self }, selfPaths: [self] });
  t.is(opened.via, 'xdg-open');
  t.true(opened.skipped[0]!.endsWith('is twinbox itself'));
  runner.assertDone();
});

test('when twinbox is the desktop handler for the scheme, xdg-open is passed over for a browser on PATH', async (t) => {
  const runner = new TranscriptRunner(
    [{ argv: ['xdg-mime', 'query', 'default', 'x-scheme-handler/https'], stdout: `${HANDLER_DESKTOP_FILE}\n` }, { argv: ['chromium', URL_TEXT] }],
    { which: { chromium: '/usr/bin/chromium' } },
  );
  const opened = await openOnHost(URL_TEXT, 'url', { runner, env: {}, selfPaths: [] });
  t.is(opened.via, 'chromium');
  t.deepEqual(opened.skipped, [`xdg-open: twinbox (${HANDLER_DESKTOP_FILE}) is the desktop's handler for this address`]);
  runner.assertDone();
});

test('called back by the host opener, twinbox does not call xdg-open again', async (t) => {
  const runner = new TranscriptRunner([{ argv: ['firefox', URL_TEXT] }], { which: { firefox: '/usr/bin/firefox' } });
  const opened = await openOnHost(URL_TEXT, 'url', { runner, env: { [OPENING_ENV]: '1' }, selfPaths: [] });
  t.is(opened.via, 'firefox');
  runner.assertDone();
});

test('a failing or missing opener falls through to the next one', async (t) => {
  const runner = new TranscriptRunner(
    [{ argv: ['lynx', URL_TEXT], notFound: true }, notTwinbox, { argv: ['xdg-open', URL_TEXT], exitCode: 3, stderr: 'no method available\n' }, { argv: ['firefox', URL_TEXT] }],
    { which: { firefox: '/usr/bin/firefox' } },
  );
  const opened = await openOnHost(URL_TEXT, 'url', { runner, env: { BROWSER: 'lynx' }, selfPaths: [] });
  t.is(opened.via, 'firefox');
  t.deepEqual(opened.skipped, ['$BROWSER (lynx): not installed', 'xdg-open failed (exit code 3: no method available)']);
  runner.assertDone();
});

test('with nothing left to try, the error names every attempt and the fix', async (t) => {
  const runner = new TranscriptRunner([{ argv: ['xdg-mime', 'query', 'default', 'x-scheme-handler/https'], notFound: true }, { argv: ['xdg-open', URL_TEXT], notFound: true }]);
  const error = await t.throwsAsync(openOnHost(URL_TEXT, 'url', { runner, env: {}, selfPaths: [] }));
  t.is(error!.message, 'nothing on this host could open the address (xdg-open: not installed)');
  t.regex((error as { hint?: string }).hint!, /set BROWSER to your browser \(not to twinbox\)/);
  runner.assertDone();
});

test('a file goes to xdg-open only: $BROWSER is for addresses', async (t) => {
  const runner = new TranscriptRunner([{ argv: ['xdg-open', '/home/u/notes.txt'] }]);
  const opened = await openOnHost('/home/u/notes.txt', 'file', { runner, env: { BROWSER: 'firefox' }, selfPaths: [] });
  t.is(opened.via, 'xdg-open');
  runner.assertDone();
});
