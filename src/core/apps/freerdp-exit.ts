/**
 * What FreeRDP's exit codes mean (xfreerdp's XF_EXIT_* set, which the SDL client shares):
 * 0–15 session ends, 128 and up the client's own failures. Only the failures are listed.
 */
const FAILURES: Record<number, { meaning: string; kind: 'signin' | 'connect' | 'client' }> = {
  3: { meaning: 'idle timeout', kind: 'connect' },
  4: { meaning: 'logon timeout', kind: 'signin' },
  5: { meaning: 'connection replaced', kind: 'connect' },
  7: { meaning: 'connection denied', kind: 'signin' },
  9: { meaning: 'the account lacks the privileges', kind: 'signin' },
  10: { meaning: 'fresh credentials required', kind: 'signin' },
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
  147: { meaning: 'transport failed', kind: 'connect' },
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
  kind: 'signin' | 'connect' | 'client' | 'unknown';
}

/** A failure, or undefined when the exit ended a session as sessions end. A signal death (null) is a failure. */
export function freeRdpFailure(exitCode: number | null): FreeRdpFailure | undefined {
  if (exitCode === null) return { meaning: 'killed by a signal', kind: 'unknown' };
  if (NORMAL.has(exitCode)) return undefined;
  return FAILURES[exitCode] ?? { meaning: `exit ${exitCode}`, kind: 'unknown' };
}
