import { TwinboxError, type CallOptions, type GuestApp, type GuestExecRequest, type GuestExecResult } from 'twinbox/plugin-api';
import { isJsonObject, stringField, type JsonObject } from '../protocol/json.js';
import { splitWindowsCommandLine } from './windows-command-line.js';

/**
 * Lists the all-users Start Menu (the agent runs as SYSTEM, so per-user menus are out of
 * reach) and resolves each shortcut through WScript.Shell. UTF-8 output keeps non-ASCII
 * names intact; Windows PowerShell would otherwise write the OEM code page.
 */
export const WINDOWS_APPS_SCRIPT = [
  "$ErrorActionPreference = 'SilentlyContinue'",
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  '$shell = New-Object -ComObject WScript.Shell',
  "$root = Join-Path $env:ProgramData 'Microsoft\\Windows\\Start Menu\\Programs'",
  "$items = Get-ChildItem -LiteralPath $root -Filter '*.lnk' -Recurse -File | ForEach-Object {",
  '  $link = $shell.CreateShortcut($_.FullName)',
  '  [pscustomobject]@{',
  '    Name = $_.BaseName',
  '    Path = $_.FullName',
  "    Folder = $_.DirectoryName.Substring($root.Length).TrimStart('\\')",
  '    TargetPath = $link.TargetPath',
  '    Arguments = $link.Arguments',
  '    WorkingDirectory = $link.WorkingDirectory',
  '  }',
  '}',
  '$items | ConvertTo-Json -Depth 2 -Compress',
].join('\r\n');

/** -EncodedCommand sidesteps the agent's naive joining of arguments into one command line. */
export function windowsAppsRequest(timeoutMs?: number): GuestExecRequest {
  return {
    path: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(WINDOWS_APPS_SCRIPT, 'utf16le').toString('base64')],
    timeoutMs,
  };
}

function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function shortcutApp(shortcut: JsonObject): GuestApp | undefined {
  const name = stringField(shortcut, 'Name')?.trim();
  const target = stringField(shortcut, 'TargetPath')?.trim();
  // Advertised (MSI) and URL shortcuts have no target; documents and uninstallers are not apps.
  if (!name || !target || !/\.exe$/i.test(target) || /\buninstall/i.test(name)) return undefined;
  const id = slug(name);
  if (id === '') return undefined;
  const app: GuestApp = {
    id,
    name,
    kind: 'gui',
    command: [target, ...splitWindowsCommandLine(stringField(shortcut, 'Arguments') ?? '')],
    source: stringField(shortcut, 'Path') ?? name,
  };
  const folder = stringField(shortcut, 'Folder')?.trim();
  if (folder) app.categories = [folder];
  return app;
}

/** Parses the script's ConvertTo-Json output: an array, a single object (one shortcut) or nothing (none). */
export function parseWindowsShortcuts(output: string): GuestApp[] {
  const text = output.replace(/^\uFEFF/, '').trim();
  const start = text.search(/[[{]/);
  if (start < 0) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start));
  } catch (error) {
    throw new TwinboxError('guest-app-discovery-failed', 'the Start Menu listing from the guest is not valid JSON', { cause: error });
  }
  const shortcuts = (Array.isArray(parsed) ? parsed : [parsed]).filter(isJsonObject);
  const seen = new Set<string>();
  const apps: GuestApp[] = [];
  for (const shortcut of shortcuts) {
    const app = shortcutApp(shortcut);
    if (!app || seen.has(app.id)) continue;
    seen.add(app.id);
    apps.push(app);
  }
  return apps.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export async function listWindowsApps(exec: (request: GuestExecRequest) => Promise<GuestExecResult>, options: CallOptions = {}): Promise<GuestApp[]> {
  const result = await exec(windowsAppsRequest(options.timeoutMs));
  if (result.exitCode !== 0) {
    throw new TwinboxError('guest-app-discovery-failed', `listing Start Menu shortcuts in the guest failed (exit ${result.exitCode ?? 'unknown'})`, {
      details: { stderr: Buffer.from(result.stderr).toString('utf8').slice(0, 2000) },
    });
  }
  return parseWindowsShortcuts(Buffer.from(result.stdout).toString('utf8'));
}
