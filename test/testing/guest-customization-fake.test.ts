import test from 'ava';
import { guestCustomizationConformance, startFakeVm, type RunningFakeVm } from '../../src/testing/index.js';

// The fake guest: its programs run on the host against a folder that stands for its `/`.
let running: RunningFakeVm | undefined;

test.before(async () => {
  running = await startFakeVm({ id: 'customization-conformance', files: { 'etc/hostname': 'base-image\n' } });
});

test.after.always(async () => {
  await running?.dispose();
});

guestCustomizationConformance(test, {
  name: 'the fake guest',
  createPlugin: () => running!.core.plugins.guestAgent('qga'),
  openChannel: () => running!.openChannel(),
  connectTimeoutMs: 20_000,
});
