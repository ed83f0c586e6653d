import { TwinboxError, type CallOptions, type GuestApp, type GuestExecRequest, type GuestExecResult } from 'twinbox/plugin-api';
import { desktopEntryApp, localeCandidates } from './desktop-entry.js';

export const DESKTOP_FILE_MARKER = '@@twinbox-desktop-file@@';
/** Printed after a file's marker when its TryExec names no program in the guest. */
export const TRYEXEC_MISSING_MARKER = '@@twinbox-tryexec-missing@@';

/** Where a TryExec without a slash is looked for (the PATH qemu-ga runs with, plus the games folders). */
const TRYEXEC_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/games', '/usr/games'];

/**
 * Folders in freedesktop precedence order (XDG_DATA_DIRS' default puts /usr/local first):
 * an id found earlier shadows the same id later, even when the earlier entry is hidden.
 */
export const APPLICATION_DIRS = ['/usr/local/share/applications', '/usr/share/applications', '/var/lib/flatpak/exports/share/applications'];

/**
 * Prints every desktop file after a marker line with its path, and a second marker when the
 * entry's TryExec names a program the guest does not have (the Desktop Entry spec: "If the
 * file is not present or if it is not executable, the entry may be ignored"): an absolute
 * TryExec must be executable; a bare name is looked for in TRYEXEC_DIRS, then on PATH.
 * TWINBOX_GUEST_ROOT is unset on a real guest; the fake hypervisor's simulated guest runs
 * commands on the host and sets it to the folder that stands for the guest's `/`.
 */
export const LINUX_APPS_SCRIPT = [
  'root="${TWINBOX_GUEST_ROOT:-}"',
  `for dir in ${APPLICATION_DIRS.map((dir) => `"\${TWINBOX_GUEST_ROOT:-}${dir}"`).join(' ')}; do`,
  '  for file in "$dir"/*.desktop; do',
  '    [ -f "$file" ] || continue',
  `    printf '%s %s\\n' '${DESKTOP_FILE_MARKER}' "\${file#"\${TWINBOX_GUEST_ROOT:-}"}"`,
  "    tryexec=$(sed -n '/^\\[Desktop Entry\\]/,/^\\[/s/^TryExec[[:space:]]*=[[:space:]]*//p' \"$file\" | head -n 1 | tr -d '\\r')",
  '    if [ -n "$tryexec" ]; then',
  '      found=',
  '      case "$tryexec" in',
  '        /*) [ -x "$root$tryexec" ] && found=1 ;;',
  `        *) for bin in ${TRYEXEC_DIRS.join(' ')}; do if [ -x "$root$bin/$tryexec" ]; then found=1; break; fi; done`,
  '           if [ -z "$found" ] && [ -z "$root" ] && command -v "$tryexec" >/dev/null 2>&1; then found=1; fi ;;',
  '      esac',
  `      [ -n "$found" ] || printf '%s\\n' '${TRYEXEC_MISSING_MARKER}'`,
  '    fi',
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
  /** Its TryExec names a program the guest does not have: the entry is not published. */
  tryExecMissing?: boolean;
}

/** Splits the script's output back into files; a truncated last file is dropped. */
export function splitDesktopListing(output: string, truncated = false): DesktopFile[] {
  const files: DesktopFile[] = [];
  let current: { path: string; lines: string[]; tryExecMissing?: boolean } | undefined;
  const flush = (): void => {
    if (current) files.push({ path: current.path, text: current.lines.join('\n'), ...(current.tryExecMissing ? { tryExecMissing: true } : {}) });
  };
  for (const line of output.split('\n')) {
    if (line.startsWith(`${DESKTOP_FILE_MARKER} `)) {
      flush();
      current = { path: line.slice(DESKTOP_FILE_MARKER.length + 1), lines: [] };
    } else if (line === TRYEXEC_MISSING_MARKER && current && current.lines.length === 0) current.tryExecMissing = true;
    else current?.lines.push(line);
  }
  flush();
  if (truncated) files.pop();
  return files;
}

function fileId(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.endsWith('.desktop') ? name.slice(0, -'.desktop'.length) : name;
}

/** The apps of the desktop files, named in the user's language where an entry has it (localeCandidates of this process's environment by default). */
export function appsFromDesktopFiles(files: readonly DesktopFile[], locales: readonly string[] = localeCandidates(process.env)): GuestApp[] {
  const seen = new Set<string>();
  const apps: GuestApp[] = [];
  for (const file of files) {
    const id = fileId(file.path);
    if (seen.has(id)) continue;
    seen.add(id);
    if (file.tryExecMissing) continue;
    const app = desktopEntryApp(file.text, { id, source: file.path }, locales);
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
