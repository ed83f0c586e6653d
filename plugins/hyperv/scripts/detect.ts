/**
 * What decides whether Hyper-V is usable, read without admin rights: the module, the VM
 * management service (absent when the Hyper-V feature is off) and the caller's rights.
 */
export const DETECT_SCRIPT = [
  '$module = Get-Module -ListAvailable -Name Hyper-V | Sort-Object Version -Descending | Select-Object -First 1;',
  '$service = Get-Service -Name vmms -ErrorAction SilentlyContinue;',
  '$identity = [Security.Principal.WindowsIdentity]::GetCurrent();',
  '$principal = New-Object Security.Principal.WindowsPrincipal($identity);',
  '[pscustomobject]@{',
  'PSVersion = $PSVersionTable.PSVersion.ToString();',
  'PSEdition = [string]$PSVersionTable.PSEdition;',
  'ModuleVersion = $(if ($module) { $module.Version.ToString() } else { $null });',
  'VmmsStatus = $(if ($service) { $service.Status.ToString() } else { $null });',
  'IsAdmin = $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator);',
  "IsHyperVAdmin = $principal.IsInRole([Security.Principal.SecurityIdentifier]'S-1-5-32-578');",
  'User = $identity.Name',
  '}',
].join(' ');
