import test from 'ava';
import { menuEntries } from '../../../src/core/apps/menu-entries.js';
import { readUsageCounts } from '../../../src/core/apps/usage-counts.js';
import { openWorkspace } from '../../../src/core/workspace/open-workspace.js';
import { acquireLock } from '../../../src/core/workspace/lock.js';
import { startWorkspace } from '../../../src/core/workspace/start-workspace.js';
import { stopWorkspace } from '../../../src/core/workspace/stop-workspace.js';
import { workspaceStatus } from '../../../src/core/workspace/workspace-status.js';
import { coreLauncher } from '../../../src/ui/menu/menu-launcher.js';
import { testHome } from '../../core/workspace/helpers/installed-workspace.js';
import { KEYS, renderMenu } from './helpers/render-menu.js';

const FILES = {
  'etc/hostname': 'base\n',
  'usr/bin/greet': '#!/bin/sh\necho "hello from the guest"\necho "and a warning" >&2\nexit 3\n',
  'usr/share/applications/greet.desktop': '[Desktop Entry]\nType=Application\nName=Greeter\nExec=/usr/bin/greet\nX-Twinbox-Kind=command\nCategories=Tools;\n',
  'usr/share/applications/shell.desktop': '[Desktop Entry]\nType=Application\nName=Shell\nExec=/bin/sh\nTerminal=true\n',
};
const HELP = 'https://help.example.com/office';

async function setUpOffice(t: Parameters<typeof testHome>[0]) {
  const h = testHome(t);
  await h.install({ name: 'office', files: FILES, manifest: { setup: { messages: { helpUrl: HELP } } } });
  const core = h.core();
  await startWorkspace(core, 'office');
  await stopWorkspace(core, 'office', { timeoutMs: 10_000 });
  return { h, core };
}

test('Enter on a command app starts its stopped workspace with progress in the menu, shows the output, counts the launch and goes back', async (t) => {
  const { h, core } = await setUpOffice(t);
  const menu = renderMenu(t, await menuEntries(core), { launcher: coreLauncher(core) });
  await menu.shows(/office \/ Tools/);
  await menu.press('g', 'r', 'e', KEYS.enter);
  await menu.shows(/… office: starting \(was stopped\)/);
  const output = await menu.shows(/Greeter \(office\): exit 3/);
  t.regex(output, /^hello from the guest$/m);
  t.regex(output, /^and a warning$/m);
  t.regex(output, /any other key back to the menu/);

  await menu.press('x');
  const back = await menu.shows(/› gre/);
  t.notRegex(back, /hello from the guest/);
  t.is((await readUsageCounts(core)).get('office/greet')?.count, 1);
  // Leaving the menu never stops the workspace it started.
  await menu.press(KEYS.escape);
  await menu.until(() => menu.outcomes.length > 0, 'a way out');
  t.like(await workspaceStatus(core, 'office'), { state: 'running' });
  await h.removeVms();
});

test('a terminal app has its workspace brought up in the menu, then the menu hands the terminal over', async (t) => {
  const { h, core } = await setUpOffice(t);
  const menu = renderMenu(t, await menuEntries(core), { launcher: coreLauncher(core) });
  await menu.press('s', 'h', 'e', KEYS.enter);
  await menu.until(() => menu.outcomes.length > 0, 'the hand-over');
  t.like(menu.outcomes[0], { type: 'terminal', entry: { key: 'office/shell' }, memory: { query: 'she', selectedKey: 'office/shell' } });
  t.like(await workspaceStatus(core, 'office'), { state: 'running' });
  await h.removeVms();
});

test('a launch that fails shows a one-line reason and the package\'s help URL, and the menu stays usable', async (t) => {
  const { h, core } = await setUpOffice(t);
  // Another twinbox holds the workspace for a change a launch does not wait out (an admin resetting it).
  const held = acquireLock(openWorkspace(core, 'office').layout.lockFile, 'office', 'reset');
  t.teardown(() => held.release());
  const menu = renderMenu(t, await menuEntries(core), { launcher: coreLauncher(core) });
  await menu.press('g', 'r', 'e', KEYS.enter);
  const frame = await menu.shows(/✗ Greeter: /);
  const lines = frame.split('\n');
  const reason = lines.findIndex((line) => line.startsWith('✗ Greeter: '));
  t.regex(lines[reason]!, /workspace "office" is already locked .* for reset$/);
  t.is(lines[reason + 1], `help: ${HELP}`);
  t.is((await readUsageCounts(core)).get('office/greet'), undefined);
  // Typing again clears the failure.
  await menu.press(KEYS.backspace);
  t.notRegex(await menu.shows(/› gr  1 of 2$/m), /✗/);
  await h.removeVms();
});

test('leaving while a workspace starts for a launch says so, and the launch was not counted', async (t) => {
  const { h, core } = await setUpOffice(t);
  const menu = renderMenu(t, await menuEntries(core), { launcher: coreLauncher(core) });
  await menu.press('g', 'r', 'e', KEYS.enter);
  await menu.shows(/… (launching Greeter|office: )/);
  await menu.press(KEYS.ctrlC);
  await menu.until(() => menu.outcomes.length > 0, 'a way out');
  t.deepEqual(menu.outcomes, [{ type: 'quit', launching: true }]);
  t.is((await readUsageCounts(core)).get('office/greet'), undefined);
  // Only the process's exit ends it (twinbox menu exits at once): here it runs on to the end.
  const deadline = Date.now() + 60_000;
  while ((await readUsageCounts(core)).get('office/greet') === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  t.is((await readUsageCounts(core)).get('office/greet')?.count, 1);
  await h.removeVms();
});
