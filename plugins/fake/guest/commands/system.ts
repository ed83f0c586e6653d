import { readFile } from 'node:fs/promises';
import { machine, release, version } from 'node:os';
import { resolveGuestPath } from '../guest-path.js';
import { parseOsRelease } from '../os-release.js';
import type { QgaCommand } from '../qga-error.js';

/** What guest-info reports as the agent version; clients only show it. */
export const AGENT_VERSION = '9.0.0-twinbox-fake';

async function readGuestText(root: string, path: string): Promise<string | undefined> {
  try {
    return await readFile(await resolveGuestPath(root, path), 'utf8');
  } catch {
    return undefined;
  }
}

/** Commands that describe the guest, answered from the guest root like a real OS would. */
export function systemCommands(root: string): Record<string, QgaCommand> {
  return {
    'guest-ping': { run: () => ({}) },
    'guest-get-osinfo': {
      run: async () => {
        const fields = parseOsRelease((await readGuestText(root, '/etc/os-release')) ?? '');
        const info: Record<string, string> = {
          'kernel-release': release(),
          'kernel-version': version(),
          machine: machine(),
        };
        const keys: Record<string, string> = {
          ID: 'id',
          NAME: 'name',
          PRETTY_NAME: 'pretty-name',
          VERSION: 'version',
          VERSION_ID: 'version-id',
          VARIANT: 'variant',
          VARIANT_ID: 'variant-id',
        };
        for (const [field, key] of Object.entries(keys)) {
          const value = fields[field];
          if (value !== undefined) info[key] = value;
        }
        return info;
      },
    },
    'guest-get-host-name': {
      run: async () => {
        const text = (await readGuestText(root, '/etc/hostname')) ?? '';
        return { 'host-name': text.split('\n')[0]?.trim() || 'localhost' };
      },
    },
    'guest-get-timezone': {
      run: () => {
        const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
        // qemu-ga reports the offset in seconds east of UTC.
        const zone = -new Date().getTimezoneOffset() * 60;
        return name ? { zone, name } : { zone };
      },
    },
    'guest-get-users': { run: () => [] },
  };
}
