/**
 * The guest-side command that runs a terminal app on a console port: the program becomes a
 * session leader with the console as its controlling terminal (so Ctrl-C typed on the host
 * reaches it as SIGINT through the guest's line discipline), and the wrapper exits with the
 * program's exit code once it ends. Linux guests with a POSIX shell and setsid (busybox or
 * util-linux).
 */
export function consoleDevice(index: number): string {
  return `/dev/hvc${index}`;
}

/**
 * An absolute program path is the guest's own: on a real guest TWINBOX_GUEST_ROOT is unset and
 * it stays as named; the fake hypervisor's guest (whose programs run on the host, its `/` a
 * folder) sets it, and the program the guest has installed there is the one that runs.
 */
const GUEST_PROGRAM = 'case "$1" in /*) if [ -x "${TWINBOX_GUEST_ROOT:-}$1" ]; then program="${TWINBOX_GUEST_ROOT:-}$1"; shift; set -- "$program" "$@"; fi ;; esac';

const WRAPPER = [
  'tty="$1"; rows="$2"; cols="$3"; shift 3',
  // The pid is the program's own once exec'd: a hang-up can find it. TMPDIR is unset on a real
  // guest (so /tmp); the fake guest, whose programs run on the host, points it at its own tmp.
  'echo $$ >"${TMPDIR:-/tmp}/twinbox-${tty##*/}.pid" 2>/dev/null',
  // Open the console first: a tty's window size lives only while someone holds it open.
  'exec <"$tty" >"$tty" 2>&1',
  'stty rows "$rows" cols "$cols" 2>/dev/null',
  GUEST_PROGRAM,
  // Run in the foreground: an asynchronous list of a non-interactive shell would start with
  // SIGINT ignored, and the app could never be interrupted. A child of the shell is never a
  // process-group leader, so setsid makes the new session in place and the shell's exit code
  // is the program's.
  'exec setsid -c "$@"',
].join('\n');

export function terminalLaunchCommand(index: number, size: { rows: number; cols: number }, command: readonly string[]): { path: string; args: string[] } {
  return { path: '/bin/sh', args: ['-c', WRAPPER, 'twinbox-console', consoleDevice(index), String(size.rows), String(size.cols), ...command] };
}

/** Hangs up the program on a console, as closing its terminal would. */
export function hangupCommand(index: number): { path: string; args: string[] } {
  return {
    path: '/bin/sh',
    args: ['-c', 'pidfile="${TMPDIR:-/tmp}/twinbox-${1##*/}.pid"; pid=$(cat "$pidfile" 2>/dev/null) && kill -HUP "$pid" 2>/dev/null; rm -f "$pidfile"', 'twinbox-hangup', consoleDevice(index)],
  };
}

/** Tells the guest the new window size; the kernel then sends SIGWINCH to the program. */
export function resizeCommand(index: number, size: { rows: number; cols: number }): { path: string; args: string[] } {
  return { path: '/bin/sh', args: ['-c', 'stty -F "$1" rows "$2" cols "$3"', 'twinbox-resize', consoleDevice(index), String(size.rows), String(size.cols)] };
}

const STREAM_WRAPPER = [
  'tty="$1"; shift',
  // Hold the console open first: its settings would not outlive the last close.
  'exec </dev/null >"$tty"',
  // Raw output: the program's bytes reach the host as written (no CR before each LF, no echo).
  'stty -F "$tty" raw -echo 2>/dev/null',
  GUEST_PROGRAM,
  // stdout goes out on the console as the program writes it; stderr stays with the guest
  // agent, which hands it over when the program ends. The shell's exit code is the program's.
  'exec "$@"',
].join('\n');

/** The guest-side command that runs a command app with its standard output on a console port. */
export function streamingLaunchCommand(index: number, command: readonly string[]): { path: string; args: string[] } {
  return { path: '/bin/sh', args: ['-c', STREAM_WRAPPER, 'twinbox-stream', consoleDevice(index), ...command] };
}
