import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { guestAgentConformance } from '../../../src/testing/guest-agent-conformance.js';
import { QgaPeer } from '../../../src/testing/qga-peer.js';
import { QgaGuestAgentPlugin } from '../../../plugins/qga/index.js';

let peer: QgaPeer | undefined;

test.before(async () => {
  peer = await QgaPeer.start({ hostName: 'conformance-guest' });
  const dir = join(peer.root, 'usr/share/applications');
  await mkdir(dir, { recursive: true });
  await mkdir(join(peer.root, 'tmp'));
  await writeFile(join(dir, 'top.desktop'), '[Desktop Entry]\nType=Application\nName=top\nExec=top\nTerminal=true\n');
  await writeFile(join(dir, 'editor.desktop'), '[Desktop Entry]\nType=Application\nName=Editor\nExec=editor %F\n');
});

test.after.always(async () => {
  await peer?.close();
});

guestAgentConformance(test, {
  name: 'qga against the in-process peer',
  createPlugin: () => new QgaGuestAgentPlugin(),
  openChannel: () => {
    if (!peer) throw new Error('the peer has not started');
    return peer.openChannel();
  },
  expect: { hostName: 'conformance-guest', osId: 'debian', apps: ['top', 'editor'] },
  connectTimeoutMs: 5_000,
});
