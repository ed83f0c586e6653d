import { TwinboxError, type CallOptions, type GuestApp, type GuestExecRequest, type GuestExecResult } from 'twinbox/plugin-api';
import { desktopEntryApp } from './desktop-entry.js';

export const DESKTOP_FILE_MARKER = '@@twinbox-desktop-file@@';

/**
 * Folders in freedesktop precedence order (XDG_DATA_DIRS' default puts /usr/local first):
 * an id found earlier shadows the same id later, even when the earlier entry is hidden.
 */
export const APPLICATION_DIRS = ['/usr/local/share/applications', '/usr/share/applications', '/var/lib/flatpak/exports/share/applications'];

/**
 * Prints every desktop file after a marker line with its path. TWINBOX_GUEST_ROOT is unset on
 * a real guest; the fake hypervisor's simulated guest runs commands on the host and sets it
 * to the folder that stands for the guest's `/`.
 */
export const LINUX_APPS_SCRIPT = [
  `for dir in ${APPLICATION_DIRS.map((dir) => `"\${TWINBOX_GUEST_ROOT:-}${dir}"`).join(' ')}; do`,
  '  for file in "$dir"/*.desktop; do',
  '    [ -f "$file" ] || continue',
  `    printf '%s %s\\n' '${DESKTOP_FILE_MARKER}' "\${file#"\${TWINBOX_GUEST_ROOT:-}"}"`,
  '    cat "$file"',
  "    printf '\\n'",
  '  done',
  'done',
  'exit 0',
].join('\n');

export interface DesktopFile {
  /** Path inside the guest. */
  path: string;
  text: string;
}

/** Splits the script's output back into files; a truncated last file is dropped. */
export function splitDesktopListing(output: string, truncated = false): DesktopFile[] {
  const files: DesktopFile[] = [];
  let current: { path: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (current) files.push({ path: current.path, text: current.lines.join('\n') });
  };
  for (const line of output.split('\n')) {
    if (line.startsWith(`${DESKTOP_FILE_MARKER} `)) {
      flush();
      current = { path: line.slice(DESKTOP_FILE_MARKER.length + 1), lines: [] };
    } else current?.lines.push(line);
  }
  flush();
  if (truncated) files.pop();
  return files;
}

function fileId(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.endsWith('.desktop') ? name.slice(0, -'.desktop'.length) : name;
}

export function appsFromDesktopFiles(files: readonly DesktopFile[]): GuestApp[] {
  const seen = new Set<string>();
  const apps: GuestApp[] = [];
  for (const file of files) {
    const id = fileId(file.path);
    if (seen.has(id)) continue;
    seen.add(id);
    const app = desktopEntryApp(file.text, { id, source: file.path });
    if (app) apps.push(app);
  }
  return apps.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export async function listLinuxApps(exec: (request: GuestExecRequest) => Promise<GuestExecResult>, options: CallOptions = {}): Promise<GuestApp[]> {
  const result = await exec({ path: '/bin/sh', args: ['-c', LINUX_APPS_SCRIPT], timeoutMs: options.timeoutMs });
  if (result.exitCode !== 0) {
    throw new TwinboxError('guest-app-discovery-failed', `listing desktop entries in the guest failed (exit ${result.exitCode ?? `signal ${result.signal}`})`, {
      details: { stderr: Buffer.from(result.stderr).toString('utf8').slice(0, 2000) },
    });
  }
  return appsFromDesktopFiles(splitDesktopListing(Buffer.from(result.stdout).toString('utf8'), result.stdoutTruncated === true));
}
