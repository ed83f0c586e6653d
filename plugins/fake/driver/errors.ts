import { TwinboxError, type VmState } from 'twinbox/plugin-api';
import { SOCAT_MISSING } from './console-paths.js';

/** The errors the fake hypervisor raises, each with the hint a user needs. */
export const fakeErrors = {
  vmNotFound: (id: string) =>
    new TwinboxError('vm-not-found', `VM ${id} does not exist`, {
      hint: 'create the VM first (its folder or state file is missing)',
      details: { id },
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
  vmRunning: (id: string, state: VmState, action: string) =>
    new TwinboxError('vm-running', `cannot ${action} while VM ${id} is ${state}`, {
      hint: 'stop the VM first',
      details: { id, state },
    }),
  invalidState: (id: string, state: VmState, action: string, hint: string) =>
    new TwinboxError('invalid-state', `cannot ${action} VM ${id}: it is ${state}`, { hint, details: { id, state } }),
  vmBusy: (id: string) =>
    new TwinboxError('vm-busy', `VM ${id} is busy with another operation`, {
      hint: 'wait for the other twinbox command to finish, then try again',
      exit: 'busy',
      details: { id },
    }),
  invalidName: (what: string, name: string, rule: string) =>
    new TwinboxError('invalid-name', `invalid ${what} name ${JSON.stringify(name)}`, {
      hint: `use ${rule}`,
      exit: 'usage',
      details: { name },
    }),
  startFailed: (id: string, reason: string) =>
    new TwinboxError('start-failed', `VM ${id} failed to start: ${reason}`, {
      hint: 'read the VM console log (console.log in the VM folder) for details',
      details: { id, reason },
    }),
  startTimeout: (id: string, timeoutMs: number) =>
    new TwinboxError('start-timeout', `VM ${id} did not report running within ${Math.round(timeoutMs / 1000)} s`, {
      hint: 'try again with a longer timeout, or read console.log in the VM folder',
      exit: 'timeout',
      details: { id, timeoutMs },
    }),
  cancelled: (subject: string, action: string) =>
    new TwinboxError('cancelled', `${action} of ${subject} was cancelled`, { hint: 'run the command again', details: { subject } }),
  imageNotFound: (path: string) =>
    new TwinboxError('image-not-found', `image ${path} does not exist`, {
      hint: 'check the path of the image file',
      details: { path },
    }),
  imageExists: (path: string) =>
    new TwinboxError('image-exists', `an image already exists at ${path}`, {
      hint: 'import into an empty folder, or remove the old image first',
      details: { path },
    }),
  unsupportedFormat: (format: string) =>
    new TwinboxError('unsupported-format', `disk format ${format} is not supported`, {
      hint: 'use one of qcow2, raw, vhd, vhdx, vdi, vmdk',
      exit: 'usage',
      details: { format },
    }),
  unsafeImage: (path: string, member: string) =>
    new TwinboxError('unsafe-image', `image ${path} contains an unsafe path: ${member}`, {
      hint: 'rebuild the image archive with paths relative to the guest root',
      details: { path, member },
    }),
  invalidImage: (path: string, reason: string) =>
    new TwinboxError('invalid-image', `image ${path} could not be unpacked: ${reason}`, {
      hint: 'check that the image file is complete',
      details: { path },
    }),
  snapshotNotFound: (id: string, name: string) =>
    new TwinboxError('snapshot-not-found', `VM ${id} has no snapshot named ${name}`, {
      hint: 'list the snapshots to see their names',
      details: { id, name },
    }),
  snapshotExists: (id: string, name: string) =>
    new TwinboxError('snapshot-exists', `VM ${id} already has a snapshot named ${name}`, {
      hint: 'choose another name, or delete the old snapshot first',
      details: { id, name },
    }),
  unknownChannel: (id: string, name: string, known: readonly string[]) =>
    new TwinboxError('unknown-channel', `VM ${id} has no channel named ${name}`, {
      hint: `the fake hypervisor offers ${known.join(', ')}`,
      details: { id, name },
    }),
  noConsolePort: (id: string, name: string, offered: number, unavailable: string | undefined) =>
    new TwinboxError(
      'no-console-port',
      unavailable ? `VM ${id} has no console ports (${unavailable})` : `VM ${id} has no ${name}: it has ${offered} console ports (console0 to console${offered - 1})`,
      {
        hint:
          unavailable === SOCAT_MISSING
            ? 'install socat (apt-get install socat), then restart the VM'
            : unavailable
              ? 'read the VM console log (console.log in the VM folder) for details'
              : 'use a console port the VM has',
        details: { id, name, offered },
      },
    ),
  channelUnavailable: (id: string, name: string, cause: unknown) =>
    new TwinboxError('channel-unavailable', `cannot connect to channel ${name} of VM ${id}`, {
      hint: 'check that the VM is running (twinbox status), then try again',
      cause,
      details: { id, name },
    }),
};
