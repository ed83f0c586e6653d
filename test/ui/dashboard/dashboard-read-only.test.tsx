import test from 'ava';
import { workspaceStatus } from '../../../src/core/workspace/workspace-status.js';
import { parseDashboardArgs } from '../../../src/commands/dashboard.js';
import { twinbox } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { fleet } from './helpers/fleet.js';
import { KEYS, renderDashboard } from './helpers/dashboard-harness.js';

const COLOUR = { unicode: true, color: true, styles: true };

test('a read-only dashboard shows everything but acts on nothing: action keys say they are off, the footer and help say so', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env, COLOUR, { readOnly: true });
  let frame = await ui.waitFor((shown) => /office .*running/.test(shown));
  t.regex(frame, /^twinbox dashboard \(read-only\) · 2 workspaces/m);
  const footer = frame.trimEnd().split('\n').at(-1)!;
  t.regex(footer, /help/);
  t.notRegex(footer, /start|stop|reset|snapshot/, footer);
  t.regex(footer, /details/);

  // lab is selected first: it was never set up; s would run its setup and start it.
  await ui.press('s');
  frame = await ui.waitFor('read-only dashboard: start is off');
  t.regex(frame, /hint: open `twinbox dashboard` without --read-only to act/);
  // Force stop asks nothing and does nothing.
  await ui.press(KEYS.down, 'F');
  frame = await ui.waitFor('read-only dashboard: force stop is off');
  t.notRegex(frame, /Force stop office\?/);
  t.is((await workspaceStatus(home.core(), 'office')).state, 'running');
  t.is((await workspaceStatus(home.core(), 'lab')).setup.state, 'pending');

  // Views still open.
  await ui.press('?');
  frame = await ui.waitFor('Read-only (--read-only)');
  t.regex(frame, /s +\(off: read-only\) start the workspace/);
  t.regex(frame, /\/ +filter workspaces by name/);
});

test('--refresh takes seconds from 0.5 to 3600; anything else is a usage error naming the range', async (t) => {
  t.deepEqual(parseDashboardArgs([]), { pollMs: 2000, readOnly: false });
  t.deepEqual(parseDashboardArgs(['--refresh', '0.5', '--read-only']), { pollMs: 500, readOnly: true });
  t.deepEqual(parseDashboardArgs(['--refresh=30']), { pollMs: 30_000, readOnly: false });
  for (const bad of ['0', '0.1', 'fast', '', '7200', '-1', 'Infinity']) {
    t.throws(() => parseDashboardArgs([`--refresh=${bad}`]), { message: `--refresh: "${bad}" is not a number of seconds from 0.5 to 3600` });
  }
  const cli = await twinbox(['dashboard', '--refresh', 'fast'], { TWINBOX_HOME: tempDir(t) });
  t.is(cli.exitCode, 2);
  t.is(cli.stderr, 'twinbox dashboard: --refresh: "fast" is not a number of seconds from 0.5 to 3600\nhint: run `twinbox dashboard --help`\n');
});
