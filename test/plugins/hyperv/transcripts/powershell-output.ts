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
