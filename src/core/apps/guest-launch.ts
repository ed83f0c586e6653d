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

/**
 * The host terminal's TERM goes with the app, as ssh sends it; a guest whose terminfo lacks
 * that entry (where `infocmp` can tell) gets the closest common one it has instead of an app
 * that stops with "Error opening terminal".
 */
const TERMINAL_TYPE = [
  'if command -v infocmp >/dev/null 2>&1 && ! infocmp "$term" >/dev/null 2>&1; then',
  '  for known in xterm-256color xterm vt100; do if infocmp "$known" >/dev/null 2>&1; then term="$known"; break; fi; done',
  'fi',
  'export TERM="$term"',
].join('\n');

const WRAPPER = [
  'tty="$1"; rows="$2"; cols="$3"; term="$4"; shift 4',
  // The pid is the program's own once exec'd: a hang-up can find it. TMPDIR is unset on a real
  // guest (so /tmp); the fake guest, whose programs run on the host, points it at its own tmp.
  'echo $$ >"${TMPDIR:-/tmp}/twinbox-${tty##*/}.pid" 2>/dev/null',
  // Open the console first: a tty's window size lives only while someone holds it open.
  'exec <"$tty" >"$tty" 2>&1',
  'stty rows "$rows" cols "$cols" 2>/dev/null',
  TERMINAL_TYPE,
  GUEST_PROGRAM,
  // Run in the foreground: an asynchronous list of a non-interactive shell would start with
  // SIGINT ignored, and the app could never be interrupted. A child of the shell is never a
  // process-group leader, so setsid makes the new session in place and the shell's exit code
  // is the program's.
  'exec setsid -c "$@"',
].join('\n');

/** A terminal type name as terminfo spells them ("xterm-256color", "screen.xterm-256color"); anything else is not passed on. */
const TERM_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

/** The TERM a terminal app gets in the guest: the host's, or xterm-256color when the host's is unset or not a terminfo name. */
export function guestTerminalType(hostTerm: string | undefined): string {
  return hostTerm && TERM_NAME.test(hostTerm) ? hostTerm : 'xterm-256color';
}

export function terminalLaunchCommand(index: number, size: { rows: number; cols: number }, command: readonly string[], term = 'xterm-256color'): { path: string; args: string[] } {
  return { path: '/bin/sh', args: ['-c', WRAPPER, 'twinbox-console', consoleDevice(index), String(size.rows), String(size.cols), guestTerminalType(term), ...command] };
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
  'tty="$1"; end="$2"; shift 2',
  // Hold the console open first: its settings would not outlive the last close.
  'exec </dev/null >"$tty"',
  // Raw output: the program's bytes reach the host as written (no CR before each LF, no echo).
  'stty -F "$tty" raw -echo 2>/dev/null',
  GUEST_PROGRAM,
  // stdout goes out on the console as the program writes it; stderr stays with the guest
  // agent, which hands it over when the program ends. Once the program has ended, the end
  // marker follows its last byte on the console, so the host knows it has all of it without
  // waiting; the shell's exit code is the program's.
  '"$@"',
  'status=$?',
  "printf '%s' \"$end\"",
  'exit "$status"',
].join('\n');

/**
 * The guest-side command that runs a command app with its standard output on a console port;
 * `endMarker` is written to the console after the program's last byte (see `EndMarkerFilter`).
 */
export function streamingLaunchCommand(index: number, command: readonly string[], endMarker: string): { path: string; args: string[] } {
  return { path: '/bin/sh', args: ['-c', STREAM_WRAPPER, 'twinbox-stream', consoleDevice(index), endMarker, ...command] };
}

/**
 * A fresh end marker for one streamed program: a DCS string (ESC P … ESC \\), which a terminal
 * that ever saw it would ignore, holding 16 random bytes no program's output will repeat.
 */
export function newEndMarker(random: Buffer): string {
  return `\u001bPtwinbox-end:${random.toString('hex')}\u001b\\`;
}

/**
 * Passes a console's bytes through until the end marker, which it drops: `ended` resolves
 * when the marker has been seen. A marker split across reads is recognised; bytes that might
 * be its start are held back until the next read tells.
 */
export class EndMarkerFilter {
  readonly ended: Promise<void>;
  private held = Buffer.alloc(0);
  private done = false;
  private resolveEnded!: () => void;
  private readonly marker: Buffer;

  constructor(
    marker: string,
    private readonly out: (bytes: Buffer) => void,
  ) {
    this.marker = Buffer.from(marker, 'utf8');
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
  }

  write(chunk: Buffer): void {
    if (this.done) {
      this.out(chunk);
      return;
    }
    const data = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const at = data.indexOf(this.marker);
    if (at >= 0) {
      if (at > 0) this.out(data.subarray(0, at));
      const rest = data.subarray(at + this.marker.length);
      this.held = Buffer.alloc(0);
      this.done = true;
      this.resolveEnded();
      if (rest.length > 0) this.out(rest);
      return;
    }
    // The longest tail of `data` that begins the marker waits for the next read.
    let keep = Math.min(this.marker.length - 1, data.length);
    while (keep > 0 && !this.marker.subarray(0, keep).equals(data.subarray(data.length - keep))) keep--;
    if (data.length > keep) this.out(data.subarray(0, data.length - keep));
    this.held = Buffer.from(data.subarray(data.length - keep));
  }

  /** What was held back when the stream ends without the marker (an older guest wrapper, a lost byte). */
  flush(): void {
    if (this.held.length > 0) this.out(this.held);
    this.held = Buffer.alloc(0);
  }
}
