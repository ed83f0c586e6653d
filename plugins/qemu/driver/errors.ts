import { TwinboxError, type VmState } from 'twinbox/plugin-api';

/** The errors the QEMU plugin raises, each with the hint a user needs. */
export const qemuErrors = {
  qemuMissing: (program: string, hint: string) =>
    new TwinboxError('qemu-missing', `${program} was not found on PATH`, { hint, details: { program } }),
  vmNotFound: (id: string, vmDir: string) =>
    new TwinboxError('vm-not-found', `VM ${id} does not exist (no qemu-vm.json in ${vmDir})`, {
      hint: 'create the VM first',
      details: { id, vmDir },
    }),
  vmExists: (id: string, vmDir: string) =>
    new TwinboxError('vm-exists', `VM ${id} already exists in ${vmDir}`, {
      hint: 'remove the existing VM first, or choose another folder',
      details: { id, vmDir },
    }),
  vmNotRunning: (id: string, state: VmState) =>
    new TwinboxError('vm-not-running', `VM ${id} is ${state}, not running`, {
      hint: 'start the VM first',
      details: { id, state },
    }),
  invalidState: (id: string, state: VmState, action: string, hint: string) =>
    new TwinboxError('invalid-state', `cannot ${action} VM ${id}: it is ${state}`, { hint, details: { id, state } }),
  invalidSpec: (message: string) => new TwinboxError('invalid-spec', message, { exit: 'usage' }),
  invalidName: (what: string, name: string, rule: string) =>
    new TwinboxError('invalid-name', `invalid ${what} name ${JSON.stringify(name)}`, {
      hint: `use ${rule}`,
      exit: 'usage',
      details: { name },
    }),
  socketPathTooLong: (path: string, max: number) =>
    new TwinboxError('socket-path-too-long', `the socket path ${path} is ${Buffer.byteLength(path)} bytes; unix sockets allow at most ${max}`, {
      hint: 'use a shorter runtime folder (set XDG_RUNTIME_DIR or TWINBOX_HOME to a short path)',
      details: { path },
    }),
  startFailed: (id: string, reason: string, consoleLog: string, details: Record<string, unknown> = {}) =>
    new TwinboxError('start-failed', `VM ${id} failed to start: ${reason}`, {
      hint: `the message is qemu's own; for problems inside the guest read ${consoleLog}`,
      details: { id, ...details },
    }),
  startTimeout: (id: string, timeoutMs: number, consoleLog: string) =>
    new TwinboxError('start-timeout', `VM ${id} did not report running within ${Math.round(timeoutMs / 1000)} s`, {
      hint: `try again with a longer timeout, or read ${consoleLog}`,
      exit: 'timeout',
      details: { id, timeoutMs },
    }),
  restoreFailed: (id: string, reason: string) =>
    new TwinboxError('restore-failed', `VM ${id} could not restore its saved state: ${reason}`, {
      hint: 'the saved state was discarded; start the VM again to boot it afresh',
      details: { id },
    }),
  qmpFailed: (id: string, command: string, reason: string) =>
    new TwinboxError('qmp-failed', `QEMU refused ${command} for VM ${id}: ${reason}`, {
      hint: 'check the VM state and try again',
      details: { id, command },
    }),
  qmpUnavailable: (id: string, socket: string, reason: string) =>
    new TwinboxError('qmp-unavailable', `cannot reach QEMU's monitor for VM ${id} at ${socket}: ${reason}`, {
      hint: 'another program may hold the monitor; if the VM is hung, stop it with --force',
      details: { id, socket },
    }),
  timeout: (what: string, timeoutMs: number) =>
    new TwinboxError('timeout', `${what} did not finish within ${Math.round(timeoutMs / 1000)} s`, {
      hint: 'try again; if it keeps happening, stop the VM with --force',
      exit: 'timeout',
      details: { timeoutMs },
    }),
  unknownChannel: (id: string, name: string, known: readonly string[]) =>
    new TwinboxError('unknown-channel', `VM ${id} has no channel named ${name}`, {
      hint: `channels of this VM: ${known.join(', ') || '(none)'}`,
      exit: 'usage',
      details: { id, name, known },
    }),
  channelUnavailable: (id: string, name: string, socket: string, reason: string) =>
    new TwinboxError('channel-unavailable', `cannot open channel ${name} of VM ${id}: ${reason}`, {
      hint: `nothing answered on ${socket}; check that the VM is running`,
      details: { id, name, socket },
    }),
  snapshotNotFound: (id: string, name: string) =>
    new TwinboxError('snapshot-not-found', `VM ${id} has no snapshot named ${name}`, {
      hint: 'list the snapshots to see their names',
      exit: 'usage',
      details: { id, name },
    }),
  snapshotExists: (id: string, name: string) =>
    new TwinboxError('snapshot-exists', `VM ${id} already has a snapshot named ${name}`, {
      hint: 'choose another name, or delete the old snapshot first',
      exit: 'usage',
      details: { id, name },
    }),
  snapshotFailed: (id: string, action: string, reason: string) =>
    new TwinboxError('snapshot-failed', `could not ${action} for VM ${id}: ${reason}`, {
      hint: 'check the free disk space and the VM state, then try again',
      details: { id },
    }),
  imageNotFound: (path: string) =>
    new TwinboxError('image-not-found', `the image ${path} does not exist`, { hint: 'check the path of the image file', exit: 'usage', details: { path } }),
  imageExists: (path: string) =>
    new TwinboxError('image-exists', `${path} already exists`, {
      hint: 'remove the old image first, or import into another folder',
      details: { path },
    }),
  unsupportedFormat: (format: string) =>
    new TwinboxError('unsupported-format', `disk format ${format} is not supported`, {
      hint: 'use one of qcow2, raw, vhd, vhdx, vdi, vmdk',
      exit: 'usage',
      details: { format },
    }),
  invalidImage: (path: string, message: string) =>
    new TwinboxError('invalid-image', `qemu-img cannot use ${path}: ${message}`, {
      hint: 'check that the file is complete and of the format given',
      details: { path },
    }),
  conversionFailed: (path: string, message: string) =>
    new TwinboxError('image-conversion-failed', `qemu-img could not convert ${path}: ${message}`, {
      hint: 'check the free disk space and that the image is complete',
      details: { path },
    }),
  qemuImgFailed: (action: string, message: string) =>
    new TwinboxError('qemu-img-failed', `qemu-img could not ${action}: ${message}`, { hint: 'check the free disk space and file permissions' }),
  invalidPort: (port: number) =>
    new TwinboxError('invalid-port', `invalid guest port ${port}`, { hint: 'use a TCP port number from 1 to 65535', exit: 'usage', details: { port } }),
  forwardFailed: (id: string, guestPort: number, reason: string) =>
    new TwinboxError('port-forward-failed', `could not forward a host port to port ${guestPort} of VM ${id}: ${reason}`, {
      hint: 'the message is qemu\'s own; check that the VM is running with network "nat" and try again',
      details: { id, guestPort },
    }),
  cancelled: (what: string) => new TwinboxError('cancelled', `${what} was cancelled`, { hint: 'run the command again' }),
};

/** qemu tools prefix every message with their name; users need only the message. */
export function toolMessage(stderr: string, fallback: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.replace(/^qemu-(?:img|system-[\w-]+):\s*/, '').trim())
    .filter(Boolean);
  return lines.join('; ') || fallback;
}
