import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { recordLaunch } from '../../src/core/apps/usage-counts.js';
import { publish } from '../core/apps/helpers/published.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';
import { twinbox } from '../helpers/cli.js';

test('menu --list and --json print the menu\'s own list and order for scripts, without a terminal', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office', manifest: { setup: { messages: { helpUrl: 'https://help.example.com/' } } } });
  await publish(h.core(), 'office', [
    { id: 'calc', name: 'Calculator', categories: ['Office'] },
    { id: 'top', name: 'Top', kind: 'terminal' },
  ]);
  await recordLaunch(h.core(), 'office', 'top');

  const plain = await twinbox(['menu', '--list'], { TWINBOX_HOME: h.home });
  t.is(plain.exitCode, 0, plain.stderr);
  t.is(plain.stdout, 'GROUP            ID    NAME        KIND      USES\noffice           top   Top         terminal  1\noffice / Office  calc  Calculator  command   0\n');

  const json = await twinbox(['menu', '--list', '--json'], { TWINBOX_HOME: h.home });
  t.deepEqual(JSON.parse(json.stdout), [
    { workspace: 'office', category: null, group: 'office', id: 'top', name: 'Top', kind: 'terminal', uses: 1, helpUrl: 'https://help.example.com/' },
    { workspace: 'office', category: 'Office', group: 'office / Office', id: 'calc', name: 'Calculator', kind: 'command', uses: 0, helpUrl: 'https://help.example.com/' },
  ]);
});

test('menu without a terminal refuses with exit 2 and the way to script it; a wrong flag is a usage error', async (t) => {
  const h = testHome(t);
  const menu = await twinbox(['menu'], { TWINBOX_HOME: h.home });
  t.is(menu.exitCode, 2);
  t.is(menu.stderr, 'twinbox: twinbox menu needs an interactive terminal, and stdin or stdout is not one\nhint: over SSH connect with `ssh -t`; in scripts use `twinbox menu --list [--json]`\n');
  const wrong = await twinbox(['menu', '--shell'], { TWINBOX_HOME: h.home });
  t.is(wrong.exitCode, 2);
  t.regex(wrong.stderr, /^twinbox menu: Unknown option '--shell'/);
  // Nothing is taken from SSH_ORIGINAL_COMMAND, even with a forced command.
  const trap = join(h.home, 'ran');
  const forced = await twinbox(['menu', '--list'], { TWINBOX_HOME: h.home, SSH_ORIGINAL_COMMAND: `touch ${trap}` });
  t.is(forced.exitCode, 0);
  t.is(forced.stdout, 'no published apps yet: they appear once a workspace you may use has been set up\n');
  t.false(existsSync(trap));
});
