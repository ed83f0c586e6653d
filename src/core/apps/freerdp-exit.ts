/**
 * What FreeRDP's exit codes mean, from its own tables: the X11 client's `enum XF_EXIT_CODE`
 * (client/X11/xfreerdp.h of 2.11.7, lines 282-347; the same numbers in 3.x, main lines
 * 339-408, and the SDL client's SDL_EXIT_* in client/SDL/SDL2/sdl_freerdp.cpp) — 0–15 session
 * ends, 16–26 licensing, 128 and up the client's own failures — plus the command-line errors:
 * when the command line is refused, main() returns freerdp_client_settings_command_line_status_print's
 * status (client/X11/cli/xfreerdp.c), WinPR's COMMAND_LINE_ERROR -1000 … COMMAND_LINE_ERROR_MEMORY
 * -1006 (winpr/include/winpr/cmdline.h lines 69-75), which the shell sees as 24 … 18. Those
 * share numbers with XF_EXIT_LICENSE_*; a client refusing its command line exits at once and
 * prints its usage, which is how they are told apart (FreeRDP 2.11.7 here: a /drive: folder
 * that does not exist gives 24). Only the failures are listed.
 */
const FAILURES: Record<number, { meaning: string; kind: 'signin' | 'connect' | 'client' }> = {
  3: { meaning: 'idle timeout', kind: 'connect' },
  4: { meaning: 'logon timeout', kind: 'signin' },
  5: { meaning: 'connection replaced', kind: 'connect' },
  7: { meaning: 'connection denied', kind: 'signin' },
  9: { meaning: 'the account lacks the privileges', kind: 'signin' },
  10: { meaning: 'fresh credentials required', kind: 'signin' },
  16: { meaning: 'licensing: internal error', kind: 'connect' },
  17: { meaning: 'licensing: no license server', kind: 'connect' },
  18: { meaning: 'command line not accepted (out of memory)', kind: 'client' },
  19: { meaning: 'command line not accepted (unexpected sigil)', kind: 'client' },
  20: { meaning: 'command line not accepted (missing argument)', kind: 'client' },
  21: { meaning: 'command line not accepted (missing value)', kind: 'client' },
  22: { meaning: 'command line not accepted (unexpected value)', kind: 'client' },
  23: { meaning: 'command line not accepted (no such option)', kind: 'client' },
  24: { meaning: 'command line not accepted (a value FreeRDP refused, such as a /drive: folder that does not exist)', kind: 'client' },
  25: { meaning: 'licensing: cannot upgrade the license', kind: 'connect' },
  26: { meaning: 'licensing: no remote connections allowed', kind: 'connect' },
  128: { meaning: 'command line not accepted', kind: 'client' },
  131: { meaning: 'connection failed', kind: 'connect' },
  132: { meaning: 'authentication failure', kind: 'signin' },
  133: { meaning: 'security negotiation failure', kind: 'connect' },
  134: { meaning: 'logon failure', kind: 'signin' },
  135: { meaning: 'account locked out', kind: 'signin' },
  139: { meaning: 'DNS error', kind: 'connect' },
  140: { meaning: 'DNS name not found', kind: 'connect' },
  141: { meaning: 'connect failed', kind: 'connect' },
  143: { meaning: 'TLS connect failed', kind: 'connect' },
  147: { meaning: 'connection failed: the connection was refused or dropped (transport failed)', kind: 'connect' },
  148: { meaning: 'password expired', kind: 'signin' },
  149: { meaning: 'password must change', kind: 'signin' },
  151: { meaning: 'account disabled', kind: 'signin' },
  154: { meaning: 'wrong password', kind: 'signin' },
  155: { meaning: 'access denied', kind: 'signin' },
  156: { meaning: 'account restriction', kind: 'signin' },
  157: { meaning: 'account expired', kind: 'signin' },
  158: { meaning: 'logon type not granted', kind: 'signin' },
  159: { meaning: 'no or missing credentials', kind: 'signin' },
};

/** Exits that end a session normally: the app closed, the user logged off or closed the window. */
const NORMAL = new Set([0, 1, 2, 11]);

export interface FreeRdpFailure {
  meaning: string;
  kind: 'signin' | 'connect' | 'client' | 'display' | 'unknown';
}

/**
 * A failure, or undefined when the exit ended a session as sessions end. A signal death (null)
 * is a failure. Exit 1 is XF_EXIT_DISCONNECT, but also what main() returns when the client
 * could not start at all; FreeRDP's own line "failed to open display" (its log is not
 * translated) tells that one apart.
 */
export function freeRdpFailure(exitCode: number | null, lastLine?: string): FreeRdpFailure | undefined {
  if (exitCode === null) return { meaning: 'killed by a signal', kind: 'unknown' };
  if (exitCode === 1 && lastLine && /failed to open display/i.test(lastLine)) return { meaning: 'no display to open a window on', kind: 'display' };
  if (NORMAL.has(exitCode)) return undefined;
  return FAILURES[exitCode] ?? { meaning: `exit ${exitCode}`, kind: 'unknown' };
}
