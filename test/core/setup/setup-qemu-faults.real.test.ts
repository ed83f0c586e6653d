import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { isTwinboxError } from 'twinbox/plugin-api';
import { EventCodes } from '../../../src/core/events/codes.js';
import { runSetup } from '../../../src/core/setup/setup-workspace.js';
import { qemuMissing } from '../../plugins/qemu/helpers/real-qemu.js';
import { TINY_GUEST_ON_QEMU, tinyGuestImage } from '../../plugins/qemu/helpers/tiny-guest.js';
import { tempDir } from '../../helpers/temp.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';
import { workspaceEvents } from './helpers/events.js';

const missing = qemuMissing();
const realTest = missing ? test.skip : test.serial;
if (missing) console.log(`real-QEMU setup fault tests skipped: ${missing}`);

/** One of workspace.json's minutes lasts this long here, so that the agent's time limit runs out soon. */
const MINUTE_MS = 15_000;

realTest('a corrupt image makes setup fail at the step that brings the image in, with qemu-img\'s own message', async (t) => {
  t.timeout(2 * 60_000);
  const h = testHome(t);
  // A qcow2 magic followed by garbage: the header's version field is nonsense.
  const corrupt = join(tempDir(t, 'tbx-corrupt-'), 'disk.qcow2');
  await writeFile(corrupt, Buffer.concat([Buffer.from('QFI\xfb', 'latin1'), Buffer.from('this is not a disk image at all')]));
  await h.install({
    imageFile: corrupt,
    manifest: {
      image: { file: 'disk.qcow2', format: 'qcow2', sha256: '0'.repeat(64), os: 'linux' },
      hypervisors: { allowed: ['qemu'], preferred: [] },
      setup: { maxRetries: 0, copyTimeZone: false },
    },
  });

  const error = await t.throwsAsync(runSetup(h.core(), 'office'));
  t.true(isTwinboxError(error));
  if (!isTwinboxError(error)) return;
  t.like(error.details, { step: 'vm', code: EventCodes.setupVmCreateFailed });
  t.regex(error.message, /failed at "Create the VM"/);
  t.regex(error.message, /Unsupported qcow2 version/, 'qemu-img says what is wrong with the image');
  t.like(h.registry().get('office').setup, { state: 'failed', code: EventCodes.setupVmCreateFailed, step: 'vm' });
  const log = await workspaceEvents(h.workspaceDir('office'));
  t.true(log.some((entry) => entry.code === EventCodes.setupFailed && /Unsupported qcow2 version/.test(entry.message)));
  t.deepEqual(await h.leftoverProcesses(), []);
});

realTest('a guest agent that never answers makes setup time out at its step, with the guest console\'s last lines in the log', async (t) => {
  t.timeout(5 * 60_000);
  const h = testHome(t);
  await h.install({
    imageFile: await tinyGuestImage(),
    manifest: {
      ...TINY_GUEST_ON_QEMU,
      // The guest's agent serves org.qemu.guest_agent.0 only: on this port nobody answers.
      guestAgent: { plugin: 'qga', channel: 'org.example.nobody-listens' },
      setup: { maxRetries: 0, timeoutMinutes: 1, copyTimeZone: false },
    },
  });
  const core = h.core();
  const hypervisor = await core.plugins.hypervisor('qemu');
  t.teardown(async () => {
    const vm = h.registry().find('office')?.vm;
    if (vm) await hypervisor.remove(vm).catch(() => undefined);
  });

  const error = await t.throwsAsync(runSetup(core, 'office', { minuteMs: MINUTE_MS }));
  t.true(isTwinboxError(error));
  if (!isTwinboxError(error)) return;
  t.is(error.exit, 'timeout');
  t.like(error.details, { step: 'agent', code: EventCodes.setupAgentTimeout });
  t.regex(error.message, /failed at "Wait for the guest agent"/);

  const log = await workspaceEvents(h.workspaceDir('office'));
  const tail = log.find((entry) => entry.code === EventCodes.vmConsoleTail);
  t.truthy(tail, 'the console tail is logged');
  // What the tiny guest's init prints on the serial console at boot.
  t.regex(tail?.message ?? '', /guest console's last lines:\ntwinbox tiny guest: .*init starting/);
  const failed = log.findIndex((entry) => entry.code === EventCodes.setupFailed);
  t.true(log.indexOf(tail!) < failed, 'the tail comes before the failure it explains');

  const vm = h.registry().get('office').vm;
  if (vm) await hypervisor.remove(vm);
  t.deepEqual(await h.leftoverProcesses(), []);
});
