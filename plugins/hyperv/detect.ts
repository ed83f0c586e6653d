import { isTwinboxError, type Availability } from 'twinbox/plugin-api';
import { POWERSHELL_HINT, type HyperVDriver } from './driver.js';
import type { HostKind } from './platform.js';
import { DETECT_SCRIPT } from './scripts/detect.js';

interface HostFacts {
  PSVersion?: string;
  ModuleVersion?: string | null;
  VmmsStatus?: string | null;
  IsAdmin?: boolean;
  IsHyperVAdmin?: boolean;
  User?: string;
}

/** Is Hyper-V usable from here, and if not, the one thing to fix first. */
export async function detect(driver: HyperVDriver, host: HostKind): Promise<Availability> {
  if (host === 'other') {
    return { usable: false, reason: 'Hyper-V runs only on Windows (10/11 Pro, Enterprise, Education or Server), or from WSL on such a host' };
  }
  const executable = await driver.findPowerShell();
  if (!executable) return { usable: false, reason: `PowerShell was not found (powershell.exe or pwsh): ${POWERSHELL_HINT}` };
  let facts: HostFacts;
  try {
    facts = ((await driver.invoke(DETECT_SCRIPT, { action: 'inspect the host', timeoutMs: 30_000 })) ?? {}) as HostFacts;
  } catch (error) {
    if (!isTwinboxError(error)) throw error;
    return { usable: false, reason: `PowerShell (${executable}) did not answer: ${error.message}`, details: { powershell: executable } };
  }
  const details: Record<string, string> = { powershell: executable };
  if (facts.PSVersion) details.powershellVersion = facts.PSVersion;
  if (facts.User) details.user = facts.User;
  if (host === 'wsl') details.channels = 'unavailable from WSL (Windows named pipes)';
  if (!facts.VmmsStatus) {
    return {
      usable: false,
      reason:
        'the Hyper-V feature is not enabled: run `Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V -All` in an administrator PowerShell and restart Windows (Windows Home has no Hyper-V)',
      details,
    };
  }
  if (!facts.ModuleVersion) {
    return {
      usable: false,
      reason:
        'the Hyper-V PowerShell module is missing: run `Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V-Management-PowerShell` in an administrator PowerShell',
      details,
    };
  }
  const version = facts.ModuleVersion;
  if (facts.VmmsStatus !== 'Running') {
    return {
      usable: false,
      reason: `the Hyper-V Virtual Machine Management service (vmms) is ${facts.VmmsStatus}: run \`Start-Service vmms\` in an administrator PowerShell`,
      version,
      details,
    };
  }
  if (!facts.IsAdmin && !facts.IsHyperVAdmin) {
    const who = facts.User ?? 'this user';
    return {
      usable: false,
      reason: `${who} is neither running as administrator nor a member of "Hyper-V Administrators": run \`Add-LocalGroupMember -SID S-1-5-32-578 -Member '${who}'\` in an administrator PowerShell, then sign out and in again (or run twinbox as administrator)`,
      version,
      details,
    };
  }
  details.rights = facts.IsAdmin ? 'administrator' : 'Hyper-V Administrators';
  return { usable: true, reason: `Hyper-V (module ${version}, PowerShell ${facts.PSVersion ?? '?'}${host === 'wsl' ? ', from WSL' : ''})`, version, details };
}
