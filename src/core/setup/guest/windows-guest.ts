import { TwinboxError, type GuestAgentSession } from '../../../plugin-api/index.js';
import type { GuestCustomizer } from './customizer-types.js';
import { runChecked, text } from './guest-program.js';

/** A PowerShell string literal: single quotes, with embedded ones doubled. */
export function powershellLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function powershell(session: GuestAgentSession, what: string, script: string, timeoutMs: number) {
  return runChecked(session, what, 'powershell.exe', ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', script], timeoutMs);
}

const SCRIPT_DIR = 'C:\\Windows\\Temp\\twinbox-setup';
/** The Administrators group by its well-known SID: its name is translated on localized Windows. */
const ADMINISTRATORS_SID = 'S-1-5-32-544';

export const windowsGuest: GuestCustomizer = {
  family: 'windows',

  async setComputerName(session, name, timeoutMs) {
    // Rename-Computer refuses a name equal to the current one; a repeated step must not fail on that.
    await powershell(session, 'renaming the computer', `if ($env:COMPUTERNAME -ne ${powershellLiteral(name)}) { Rename-Computer -NewName ${powershellLiteral(name)} -Force -ErrorAction Stop }`, timeoutMs);
  },

  async computerName(session, timeoutMs) {
    const result = await powershell(
      session,
      'reading the computer name',
      "(Get-ItemProperty 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName').ComputerName",
      timeoutMs,
    );
    return text(result.stdout).trim();
  },

  async setTimeZone(session, zone, timeoutMs) {
    // .NET 6+ maps IANA names to Windows ids; Windows PowerShell 5.1 lacks the method and says so.
    const script = `$id = $null
try { if ([System.TimeZoneInfo]::TryConvertIanaIdToWindowsId(${powershellLiteral(zone)}, [ref]$id)) { Set-TimeZone -Id $id; exit 0 } } catch {}
Write-Output ${powershellLiteral(`the guest cannot map the time zone ${zone} to a Windows time zone; it keeps its own`)}`;
    return text((await powershell(session, 'setting the time zone', script, timeoutMs)).stdout)
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '');
  },

  async setLocale(session, locale, timeoutMs) {
    const tag = locale.replace(/\..*$/, '').replace(/@.*$/, '').replace('_', '-');
    await powershell(session, 'setting the locale', `Set-WinSystemLocale -SystemLocale ${powershellLiteral(tag)}; Set-Culture ${powershellLiteral(tag)}`, timeoutMs);
    return [];
  },

  async ensureUser(session, user, timeoutMs) {
    const name = powershellLiteral(user.name);
    const admins = user.addToAdmins
      ? `; if (-not (Get-LocalGroupMember -SID '${ADMINISTRATORS_SID}' | Where-Object { $_.Name -like ('*\\' + ${name}) })) { Add-LocalGroupMember -SID '${ADMINISTRATORS_SID}' -Member ${name} }`
      : '';
    await powershell(session, `creating user ${user.name}`, `if (-not (Get-LocalUser -Name ${name} -ErrorAction SilentlyContinue)) { New-LocalUser -Name ${name} -NoPassword | Out-Null }${admins}`, timeoutMs);
  },

  async stageScript(session, fileName, content, timeoutMs) {
    await powershell(session, 'preparing the script folder', `New-Item -ItemType Directory -Force -Path ${powershellLiteral(SCRIPT_DIR)} | Out-Null`, timeoutMs);
    const path = `${SCRIPT_DIR}\\${fileName}`;
    await session.writeFile(path, content, { timeoutMs });
    return path;
  },

  async runScript(session, guestPath, env, timeoutMs) {
    const setEnv = `$env:TWINBOX_WORKSPACE = ${powershellLiteral(env.workspace)}; $env:TWINBOX_COMPUTER_NAME = ${powershellLiteral(env.computerName ?? '')}`;
    const lower = guestPath.toLowerCase();
    let run: string;
    if (lower.endsWith('.ps1')) run = `& ${powershellLiteral(guestPath)}`;
    else if (lower.endsWith('.cmd') || lower.endsWith('.bat')) run = `& cmd.exe /c ${powershellLiteral(guestPath)}`;
    else if (lower.endsWith('.exe')) run = `& ${powershellLiteral(guestPath)}`;
    else throw new TwinboxError('setup-script-type', `${guestPath}: a Windows guest runs .ps1, .cmd, .bat and .exe setup scripts`, { exit: 'usage' });
    return session.exec({
      path: 'powershell.exe',
      args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', `${setEnv}; ${run}; exit $LASTEXITCODE`],
      timeoutMs,
    });
  },
};
