/**
 * The guest's operating system as its agent last told it (`guest-get-osinfo`), kept beside the
 * workspace's state so that `status`, the dashboard and `doctor` can say what runs in the VM
 * without asking a guest that may be stopped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, type GuestAgentSession, type GuestOsInfo } from '../../plugin-api/index.js';
import type { WorkspaceLayout } from './layout.js';

export interface GuestOs {
  id: string;
  name: string;
  prettyName?: string;
  version?: string;
  kernelRelease?: string;
  /** UTC, ISO 8601: when the agent said so. */
  seenAt: string;
}

const OS_INFO_TIMEOUT_MS = 3_000;

export function guestOsFile(layout: WorkspaceLayout): string {
  return join(layout.workspaceDir, 'guest-os.json');
}

function clean(value: unknown, max = 200): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, max) : undefined;
}

/** Only the fields a guest can be trusted to send, as plain short text. */
function guestOs(info: GuestOsInfo, seenAt: Date): GuestOs | undefined {
  const id = clean(info.id, 64);
  const name = clean(info.name);
  if (!id || !name) return undefined;
  const os: GuestOs = { id, name, seenAt: seenAt.toISOString() };
  const prettyName = clean(info.prettyName);
  const version = clean(info.version);
  const kernelRelease = clean(info.kernelRelease);
  if (prettyName) os.prettyName = prettyName;
  if (version) os.version = version;
  if (kernelRelease) os.kernelRelease = kernelRelease;
  return os;
}

/** Asks the agent and keeps its answer; best effort: a guest that cannot say keeps the last record. */
export async function recordGuestOs(layout: WorkspaceLayout, session: GuestAgentSession, now: Date, info?: GuestOsInfo): Promise<GuestOs | undefined> {
  try {
    const os = guestOs(info ?? (await session.osInfo({ timeoutMs: OS_INFO_TIMEOUT_MS })), now);
    if (os) await writeFileAtomic(guestOsFile(layout), `${JSON.stringify(os)}\n`, { mode: 0o600 });
    return os;
  } catch {
    return undefined;
  }
}

export function readGuestOs(layout: WorkspaceLayout): GuestOs | undefined {
  try {
    const parsed = JSON.parse(readFileSync(guestOsFile(layout), 'utf8')) as Record<string, unknown>;
    const os = guestOs(parsed as unknown as GuestOsInfo, new Date(typeof parsed.seenAt === 'string' ? parsed.seenAt : 0));
    return os && typeof parsed.seenAt === 'string' ? { ...os, seenAt: parsed.seenAt } : os;
  } catch {
    return undefined;
  }
}

/** "Debian GNU/Linux 12 (bookworm)", or the name and version. */
export function guestOsLabel(os: GuestOs): string {
  return os.prettyName ?? (os.version ? `${os.name} ${os.version}` : os.name);
}
