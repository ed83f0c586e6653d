import { TwinboxError } from 'twinbox/plugin-api';

/** What VBoxManage said when it failed, read from its `VBoxManage: error:` lines. */
export interface VBoxFailure {
  /** The first error line without the prefix ("Could not find a registered machine named 'x'"). */
  message: string;
  /** The COM/XPCOM status name from the Details line (`VBOX_E_OBJECT_NOT_FOUND`), locale-independent. */
  code?: string;
  /** The API call that failed, from the Context line (`FindMachine(...)`). */
  context?: string;
  /** The interface named on the Details line (`IMachine`, `IKeyboard`). */
  iface?: string;
  exitCode: number;
  output: string;
}

// The prefix is printed by the runtime, not translated; on Windows the program calls itself
// "VBoxManage.exe". Status names in the Details line are constants in every language.
const ERROR_LINE = /^VBoxManage(?:\.exe)?: error: ?(.*)$/;
const DETAILS_CODE = /\b(?:code|Code) ([A-Z][A-Z0-9_]+) \(0x[0-9a-fA-F]+\)/;
const CONTEXT = /Context: "([^"]*)"/;
const INTERFACE = /\binterface (I[A-Za-z]+)/;

/** True when the output reports a failure, whatever the exit code said. */
export function reportsError(output: string): boolean {
  return output.split(/\r?\n/).some((line) => ERROR_LINE.test(line));
}

export function parseFailure(exitCode: number, stdout: string, stderr: string): VBoxFailure {
  const output = `${stderr}\n${stdout}`.replace(/\r\n/g, '\n');
  const errorLines = output.split('\n').map((line) => ERROR_LINE.exec(line)?.[1]).filter((line): line is string => line !== undefined);
  const first = errorLines.find((line) => !/^(Details|Context):/.test(line));
  const fallback = output.split('\n').map((line) => line.trim()).find((line) => line !== '');
  return {
    message: first ?? fallback ?? `exit code ${exitCode}`,
    code: DETAILS_CODE.exec(output)?.[1],
    context: CONTEXT.exec(output)?.[1],
    iface: INTERFACE.exec(output)?.[1],
    exitCode,
    output: output.trim(),
  };
}

/**
 * Every decision here is made on what VBoxManage prints the same in every language: the
 * status name of the Details line (`Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001)`, or
 * `Code E_FAIL (0x80004005)` when there is no extended info: docker-archive/toolbox#737), the
 * Context line's API call, the interface, IPRT status names (`VERR_ACCESS_DENIED`) and the exit
 * code. The sentences are translated (VirtualBox 7 ships VBoxManage translations, and LANG=C
 * does not stop them on Windows and macOS hosts), so none is ever matched.
 */

/** Failures that go away by themselves: another session holds the VM's lock for a moment (VBOX_E_INVALID_OBJECT_STATE). */
export function isTransient(failure: VBoxFailure): boolean {
  return failure.code === 'VBOX_E_INVALID_OBJECT_STATE';
}

/** The only proof that a VM is gone: VirtualBox's own "object not found" status for a machine lookup. */
export function isMachineNotFound(failure: VBoxFailure): boolean {
  return failure.code === 'VBOX_E_OBJECT_NOT_FOUND' && (failure.context === undefined || /FindMachine|openExistingSession|LockMachine/i.test(failure.context));
}

export function isSnapshotNotFound(failure: VBoxFailure): boolean {
  return failure.code === 'VBOX_E_OBJECT_NOT_FOUND' && failure.context !== undefined && /FindSnapshot/i.test(failure.context);
}

/**
 * E_ACCESSDENIED from a running VM's console objects means the VM is not running ("The console
 * is not powered up", Details: code E_ACCESSDENIED (0x80070005), component Keyboard, interface
 * IKeyboard: jedi4ever/veewee#116), not missing rights.
 */
const CONSOLE_INTERFACES = new Set(['IConsole', 'IKeyboard', 'IMouse', 'IDisplay', 'IGuest']);

function isConsoleNotRunning(failure: VBoxFailure): boolean {
  return failure.code === 'E_ACCESSDENIED' && failure.iface !== undefined && CONSOLE_INTERFACES.has(failure.iface);
}

function isAccessDenied(failure: VBoxFailure): boolean {
  if (isConsoleNotRunning(failure)) return false;
  return failure.code === 'E_ACCESSDENIED' || failure.code === 'NS_ERROR_ACCESS_DENIED' || /\bVERR_ACCESS_DENIED\b/.test(failure.output);
}

/** Turns a failure into the error users see, with the VBoxManage text kept in `details`. */
export function toTwinboxError(failure: VBoxFailure, args: readonly string[], transientExhausted = false): TwinboxError {
  const details = { command: `VBoxManage ${args.join(' ')}`, exitCode: failure.exitCode, vboxCode: failure.code ?? '', output: failure.output };
  if (isMachineNotFound(failure)) {
    return new TwinboxError('vm-not-found', `VirtualBox has no such VM: ${failure.message}`, {
      hint: 'the VM was deleted outside twinbox; remove it from twinbox or create it again',
      details,
    });
  }
  if (isSnapshotNotFound(failure)) {
    return new TwinboxError('snapshot-not-found', failure.message, { hint: 'list the snapshots to see their names', exit: 'usage', details });
  }
  if (isAccessDenied(failure)) {
    return new TwinboxError('permission-denied', `VirtualBox was denied access: ${failure.message}`, {
      hint: 'check the permissions of the files involved, and that your user may use VirtualBox (the vboxusers group on Linux)',
      exit: 'denied',
      details,
    });
  }
  if (failure.code === 'VBOX_E_INVALID_VM_STATE' || isConsoleNotRunning(failure)) {
    return new TwinboxError('invalid-state', `the VM is not in a state that allows this: ${failure.message}`, {
      hint: 'check the VM state with `twinbox status`; stop or start it first',
      details,
    });
  }
  if (transientExhausted) {
    return new TwinboxError('vm-busy', `VirtualBox kept the VM locked: ${failure.message}`, {
      hint: 'another program (the VirtualBox GUI, another twinbox) is using the VM; try again when it is done',
      exit: 'busy',
      details,
    });
  }
  if (failure.exitCode === 2 && failure.code === undefined) {
    // RTEXITCODE_SYNTAX: VBoxManage refused its command line (an option this version lacks).
    return new TwinboxError('vboxmanage-syntax', `VBoxManage ${args[0] ?? ''} did not accept its command line (exit code 2): ${failure.message}`, {
      hint: 'this VirtualBox may be older or newer than the plugin expects; `twinbox doctor` shows its version',
      details,
    });
  }
  return new TwinboxError('vboxmanage-failed', `VBoxManage ${args[0] ?? ''} failed: ${failure.message}`, {
    hint: 'the VirtualBox message above says why; `twinbox doctor` checks the installation',
    details,
  });
}
