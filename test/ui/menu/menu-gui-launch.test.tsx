import test from 'ava';
import { menuEntries } from '../../../src/core/apps/menu-entries.js';
import { readUsageCounts } from '../../../src/core/apps/usage-counts.js';
import { openCore } from '../../../src/core/open-core.js';
import { startWorkspace } from '../../../src/core/workspace/start-workspace.js';
import { coreLauncher } from '../../../src/ui/menu/menu-launcher.js';
import { freeRdpStandIn } from '../../core/apps/helpers/freerdp-stand-in.js';
import { testHome } from '../../core/workspace/helpers/installed-workspace.js';
import { KEYS, renderMenu } from './helpers/render-menu.js';

const FILES = {
  'etc/hostname': 'base\n',
  'usr/share/applications/viewer.desktop': '[Desktop Entry]\nType=Application\nName=Viewer\nExec=/usr/bin/viewer\n',
};

test('on a desktop the menu opens a GUI app as an RDP RemoteApp window, says so and counts the launch', async (t) => {
  const freerdp = await freeRdpStandIn(t);
  // FreeRDP is found on this worker's PATH; no other test in this file looks for it.
  const path = process.env.PATH;
  process.env.PATH = `${freerdp.binDir}:${path}`;
  t.teardown(() => {
    process.env.PATH = path;
  });
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES, manifest: { rdp: { port: 3389, user: 'twinbox', remoteApp: true } } });
  const core = openCore({ env: { ...home.env, DISPLAY: ':0' } });
  await startWorkspace(core, 'office');
  const menu = renderMenu(t, await menuEntries(core), { launcher: coreLauncher(core) });
  t.regex(await menu.shows(/Viewer/), /Viewer \(gui\)$/m, 'labelled gui, not "no display here"');
  await menu.press('v', 'i', 'e', KEYS.enter);
  await menu.shows(/Viewer opened as a window on your desktop through RDP RemoteApp \(FreeRDP 3\.5\.1\)/);
  t.true((await freerdp.argv()).some((arg) => arg.startsWith('/app:program:/usr/bin/viewer')));
  t.is((await readUsageCounts(core)).get('office/viewer')?.count, 1);
  await home.removeVms();
});
