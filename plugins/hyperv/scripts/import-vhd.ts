import { psString } from '../driver/ps-literal.js';

export type ImportMode = 'copy' | 'convert-vhd' | 'in-place';

/**
 * Puts a base disk in place as a read-only VHDX: copied as it is, converted from VHD
 * (Generation 2 VMs boot only from VHDX, and a differencing disk has its parent's format),
 * or taken where a converter already wrote it. Get-VHD proves Hyper-V can read it.
 */
export function importVhdScript(mode: ImportMode, source: string, target: string): string {
  const place =
    mode === 'copy'
      ? 'Copy-Item -LiteralPath $source -Destination $target;'
      : mode === 'convert-vhd'
        ? 'Hyper-V\\Convert-VHD -Path $source -DestinationPath $target -VHDType Dynamic;'
        : '';
  return [
    `$source = ${psString(source)};`,
    `$target = ${psString(target)};`,
    mode !== 'in-place' ? "if (Test-Path -LiteralPath $target) { Write-Error -Message 'the target file exists' -Category ResourceExists -ErrorId TwinboxImageExists };" : '',
    'try {',
    place,
    '$vhd = Hyper-V\\Get-VHD -Path $target;',
    "if ($vhd.VhdType.ToString() -eq 'Differencing') { Write-Error -Message 'a differencing disk cannot be a base image' -Category InvalidData -ErrorId TwinboxDifferencingBase };",
    'Set-ItemProperty -LiteralPath $target -Name IsReadOnly -Value $true;',
    '[pscustomobject]@{ Path = $vhd.Path; VhdFormat = $vhd.VhdFormat.ToString(); VhdType = $vhd.VhdType.ToString(); FileSize = $vhd.FileSize; Size = $vhd.Size }',
    '} catch {',
    'if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Force -ErrorAction SilentlyContinue };',
    'throw',
    '}',
  ]
    .filter((part) => part !== '')
    .join(' ');
}
