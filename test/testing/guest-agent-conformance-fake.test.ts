import test from 'ava';
import { guestAgentConformance, startFakeVm, type RunningFakeVm } from '../../src/testing/index.js';
import { verifyFakeGuestPassword } from '../../plugins/fake/index.js';

// The qga plugin, loaded by the real plugin loader, against a fake VM's real socket.
let running: RunningFakeVm | undefined;

test.before(async () => {
  running = await startFakeVm({
    id: 'qga-conformance',
    files: {
      'etc/hostname': 'conformance-guest\n',
      'usr/share/applications/editor.desktop': '[Desktop Entry]\nType=Application\nName=Editor\nExec=/usr/bin/editor %F\nTerminal=true\n',
      'usr/share/applications/report.desktop': '[Desktop Entry]\nType=Application\nName=Report\nExec=/usr/bin/report\nX-Twinbox-Kind=command\n',
    },
  });
});

test.after.always(async () => {
  await running?.dispose();
});

guestAgentConformance(test, {
  name: 'qga on the fake hypervisor',
  createPlugin: () => running!.core.plugins.guestAgent('qga'),
  openChannel: () => running!.openChannel(),
  expect: { hostName: 'conformance-guest', osId: 'twinbox-fake', apps: ['editor', 'report'] },
  connectTimeoutMs: 20_000,
  userPassword: { user: 'twinbox', verify: (user, password) => verifyFakeGuestPassword(running!.vm, user, password) },
});
