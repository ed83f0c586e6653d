import test from 'ava';
import { Tokens, type Clock } from 'twinbox/plugin-api';
import { EventCodes } from '../../../src/core/events/codes.js';
import { runSetup } from '../../../src/core/setup/setup-workspace.js';
import { waitForGuestAgent } from '../../../src/core/workspace/guest-agent-connection.js';
import { stopWorkspace } from '../../../src/core/workspace/stop-workspace.js';
import { workspaceStatus } from '../../../src/core/workspace/workspace-status.js';
import { qemuMissing } from '../../plugins/qemu/helpers/real-qemu.js';
import { TINY_GUEST_ON_QEMU, tinyGuestImage } from '../../plugins/qemu/helpers/tiny-guest.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';
import { workspaceEvents } from './helpers/events.js';

const missing = qemuMissing();
const realTest = missing ? test.skip : test.serial;
if (missing) console.log(`real-QEMU setup test skipped: ${missing}`);

realTest('first-time setup of a real Linux guest on QEMU names it, runs a script in it and finds its apps', async (t) => {
  t.timeout(5 * 60_000);
  const h = testHome(t);
  await h.install({
    imageFile: await tinyGuestImage(),
    manifest: {
      ...TINY_GUEST_ON_QEMU,
      setup: { computerName: 'REAL-##', copyLocale: true },
    },
    scripts: { 'hello.sh': '#!/bin/sh\necho "hello from $(hostname)"\n' },
  });
  const core = h.core();
  const hypervisor = await core.plugins.hypervisor('qemu');
  t.teardown(async () => {
    const vm = h.registry().find('office')?.vm;
    if (vm) await hypervisor.remove(vm).catch(() => undefined);
  });

  const result = await runSetup(core, 'office', { random: () => 4 });
  t.like(result, { hypervisor: 'qemu', computerName: 'REAL-44' });
  t.true(result.apps > 0, 'the tiny guest publishes apps');

  const entry = h.registry().get('office');
  const session = await waitForGuestAgent(hypervisor, await core.plugins.guestAgent('qga'), entry.vm!, 'org.qemu.guest_agent.0', {
    timeoutMs: 30_000,
    clock: core.container.resolve<Clock>(Tokens.Clock),
  });
  t.is(await session.hostName(), 'REAL-44');
  await session.close();
  const output = (await workspaceEvents(h.workspaceDir('office'))).filter((record) => record.code === EventCodes.setupScriptOutput);
  t.deepEqual(output.map((record) => record.message), ['hello from REAL-44']);

  t.like(await stopWorkspace(core, 'office', { timeoutMs: 30_000 }), { how: 'graceful' });
  t.like(await workspaceStatus(core, 'office'), { state: 'stopped', simulated: false });
  await hypervisor.remove(entry.vm!);
  t.deepEqual(await h.leftoverProcesses(), []);
});
