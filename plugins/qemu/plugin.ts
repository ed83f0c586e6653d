import { defineHypervisorPlugin, DISK_FORMATS } from 'twinbox/plugin-api';
import { create } from './actions/create.js';
import { importImage } from './actions/import-image.js';
import { pause } from './actions/pause.js';
import { remove } from './actions/remove.js';
import { resume } from './actions/resume.js';
import { createSnapshot, deleteSnapshot, listSnapshots, restoreSnapshot } from './actions/snapshots.js';
import { start } from './actions/start.js';
import { stop } from './actions/stop.js';
import { suspend } from './actions/suspend.js';
import { openChannel } from './cap/channel.js';
import { consoleTail } from './cap/console-tail.js';
import { display } from './cap/display.js';
import { forwardPort } from './cap/forward-port.js';
import { metrics } from './cap/metrics.js';
import { QEMU_LIMITS } from './driver/validate-spec.js';
import { context, detect, state } from './provider.js';

/** QEMU as a twinbox hypervisor: daemonized VMs driven through QMP, disks through qemu-img. */
export class QemuHypervisor extends defineHypervisorPlugin({
  name: 'qemu',
  displayName: 'QEMU',
  context,
  // Any format is imported as a qcow2 base, and a qcow2 overlay can sit on a base of any format qemu reads.
  capabilities: { linkedClones: true, suspend: true, pause: true, snapshots: true, channels: true, importFormats: DISK_FORMATS, createFormats: DISK_FORMATS },
  limits: QEMU_LIMITS,
  folderSharing: { ways: ['9p'], note: 'the guest kernel needs the 9p, 9pnet and 9pnet_virtio modules (Debian: linux-image-amd64 has them, linux-image-cloud-amd64 has none)' },
  provider: { detect, state },
  actions: { importImage, create, start, stop, pause, suspend, resume, remove, listSnapshots, createSnapshot, restoreSnapshot, deleteSnapshot },
  caps: { openChannel, display, forwardPort, consoleTail, metrics },
}) {}
