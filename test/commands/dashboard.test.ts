import test from 'ava';
import { twinbox } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';

test('twinbox without arguments and without a terminal prints the status table, as twinbox status does', async (t) => {
  const home = testHome(t);
  await home.install({ name: 'office' });
  const plain = await twinbox([], home.env);
  const status = await twinbox(['status'], home.env);
  t.is(plain.exitCode, 0, plain.stderr);
  t.is(plain.stdout, status.stdout);
  t.regex(plain.stdout, /^NAME +SCOPE +VERSION +HYPERVISOR/);
  t.notRegex(plain.stdout, /\u001B/, 'no escape sequences on a pipe');
});

test('twinbox dashboard without a terminal fails with exit 2 and points to twinbox status', async (t) => {
  const result = await twinbox(['dashboard'], { TWINBOX_HOME: tempDir(t) });
  t.is(result.exitCode, 2);
  t.is(result.stdout, '');
  t.regex(result.stderr, /^twinbox: the dashboard needs a terminal: standard input and output must both be one\nhint: run `twinbox status`/);
});

test('twinbox dashboard refuses an unknown option', async (t) => {
  const result = await twinbox(['dashboard', '--fast'], { TWINBOX_HOME: tempDir(t) });
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /twinbox dashboard: Unknown option '--fast'/);
});
