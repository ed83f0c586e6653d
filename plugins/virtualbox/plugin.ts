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
import { openChannel, UARTS } from './cap/channel.js';
import { display } from './cap/display.js';
import { forwardPort } from './cap/forward-port.js';
import { metrics } from './cap/metrics.js';
import { context, detect, state } from './provider.js';

/** VirtualBox through VBoxManage. */
export class VirtualBoxPlugin extends defineHypervisorPlugin({
  name: 'virtualbox',
  displayName: 'VirtualBox',
  context,
  // Any format is converted to VDI on import; VMs are differencing VDIs over that base.
  capabilities: { linkedClones: true, suspend: true, pause: true, snapshots: true, channels: true, importFormats: DISK_FORMATS, createFormats: ['vdi'] },
  folderSharing: { ways: [], note: 'VirtualBox shared folders (VBoxManage sharedfolder add --automount, which need the Guest Additions in the guest) are not supported yet: mount the folder in the guest yourself (SMB, NFS), give it a \\\\tsclient\\NAME guest path for an RDP guest, or use QEMU' },
  limits: { cpus: 64, memoryMiB: { min: 4 }, channels: { max: UARTS.length, as: 'serial ports' } },
  provider: { detect, state },
  actions: { importImage, create, start, stop, pause, suspend, resume, remove, listSnapshots, createSnapshot, restoreSnapshot, deleteSnapshot },
  caps: { openChannel, display, forwardPort, metrics },
}) {}
