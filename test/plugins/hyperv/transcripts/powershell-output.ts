/**
 * Output as Windows PowerShell 5.1 prints it: `ConvertTo-Json -Compress` (which escapes
 * < > ' & as \u003c \u003e \u0027 \u0026), CRLF line ends, and the error texts Hyper-V's
 * cmdlets give.
 */

export function psJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>'&]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** What a successful framed command prints. */
export function okOutput(value: unknown): string {
  return `${psJson({ ok: true, value })}\r\n`;
}

/** What a failed framed command prints (the catch block's envelope). */
export function errorOutput(error: string, category: string, errorId: string): string {
  return `${psJson({ ok: false, error, category, errorId })}\r\n`;
}

export const COMPUTER = 'DESKTOP-7K2QF1M';

export const NO_PERMISSION = `You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer '${COMPUTER}'.`;

export function vmNotFoundMessage(vmId: string, german = false): string {
  return german ? `Hyper-V konnte keinen virtuellen Computer mit der ID "${vmId}" finden.` : `Hyper-V was unable to find a virtual machine with ID "${vmId}".`;
}

export interface VmObject {
  Id: string;
  Name: string;
  State: string | number;
  Status?: string;
  Uptime?: number;
  CPUUsage?: number;
  MemoryAssigned?: number;
  ProcessId?: number | null;
}

export function vmObject(vm: VmObject): VmObject {
  const running = vm.State === 'Running';
  return {
    Status: 'Operating normally',
    Uptime: running ? 312 : 0,
    CPUUsage: running ? 3 : 0,
    MemoryAssigned: running ? 1073741824 : 0,
    ProcessId: vm.State === 'Off' || vm.State === 'Saved' ? null : 7316,
    ...vm,
  };
}

export const PARSE_ERROR = [
  'At line:1 char:46',
  "+ try { $ErrorActionPreference = 'Stop'; $twinboxResult = & { $vm = ...",
  '+                                              ~',
  "Missing closing '}' in statement block or type definition.",
  '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
  '    + FullyQualifiedErrorId : MissingEndCurlyBrace',
  '',
].join('\r\n');

/**
 * Hyper-V's own error records, as the catch block passes them back (category, FullyQualifiedErrorId).
 * Sources, each a real console transcript:
 * - Get-VM for a VM that is not there: "CategoryInfo : InvalidArgument: (N1:String) [Get-VM],
 *   VirtualizationException", "FullyQualifiedErrorId : InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM"
 *   (https://github.com/pluralsight/PS-AutoLab-Env/issues/133);
 * - a cmdlet acting on a missing VM: "ObjectNotFound: (:) [Set-VMFirmware], VirtualizationException",
 *   "ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.SetVMFirmware" (same thread; likewise
 *   SetVMGpuPartitionAdapter in https://github.com/jamesstringer90/Easy-GPU-PV/issues/449);
 * - a bad argument that is not a missing VM: "InvalidData: (:) [Get-VM], ParameterBindingValidationException",
 *   "ParameterArgumentValidationError,Microsoft.HyperV.PowerShell.Commands.GetVM"
 *   (https://github.com/microsoft/MSLab/issues/518).
 * The message is the only part Windows translates; the German one is given to show that it is
 * never read.
 */
export const HYPERV_ERRORS = {
  getVmNotFound: { category: 'InvalidArgument', errorId: 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM' },
  cmdletVmNotFound: (cmdlet: string) => ({ category: 'ObjectNotFound', errorId: `ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.${cmdlet}` }),
  getVmBadArgument: { category: 'InvalidData', errorId: 'ParameterArgumentValidationError,Microsoft.HyperV.PowerShell.Commands.GetVM' },
} as const;
