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
import { MAX_COM_PORTS, openChannel } from './cap/channel.js';
import { display } from './cap/display.js';
import { forwardPort } from './cap/forward-port.js';
import { metrics } from './cap/metrics.js';
import { context, detect, state } from './provider.js';

/** Hyper-V through one long-lived PowerShell host. */
export class HyperVPlugin extends defineHypervisorPlugin({
  name: 'hyperv',
  displayName: 'Hyper-V',
  context,
  capabilities: (ctx) => ({
    linkedClones: true,
    suspend: true,
    pause: true,
    snapshots: true,
    // From WSL the COM port pipes are out of reach.
    channels: ctx.host === 'windows',
    importFormats: DISK_FORMATS,
    // Differencing disks of Generation 2 VMs: VHDX over a VHDX base.
    createFormats: ['vhdx'],
  }),
  folderSharing: { ways: ['rdp-drive'], note: 'Hyper-V shares folders only as RDP drives: give the folder a \\\\tsclient\\NAME guest path in a package whose guest offers RDP' },
  // Hyper-V assigns memory in 2 MiB steps, at least 32 MiB.
  limits: { cpus: 240, memoryMiB: { min: 32, step: 2 }, channels: { max: MAX_COM_PORTS, as: 'COM ports' } },
  provider: { detect, state },
  actions: { importImage, create, start, stop, pause, suspend, resume, remove, listSnapshots, createSnapshot, restoreSnapshot, deleteSnapshot },
  caps: { openChannel, display, forwardPort, metrics },
}) {
  /** Ends the PowerShell host now instead of after the idle time. */
  dispose(): Promise<void> {
    return this.context.driver.dispose();
  }
}
