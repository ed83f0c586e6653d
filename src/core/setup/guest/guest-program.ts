import { TwinboxError, type GuestAgentSession, type GuestExecResult } from '../../../plugin-api/index.js';

export function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

/** Runs a program in the guest and fails with its error output when it exits non-zero. */
export async function runChecked(session: GuestAgentSession, what: string, path: string, args: string[], timeoutMs: number): Promise<GuestExecResult> {
  const result = await session.exec({ path, args, timeoutMs });
  if (result.exitCode !== 0) {
    const detail = text(result.stderr).trim() || text(result.stdout).trim() || (result.signal ? `signal ${result.signal}` : `exit code ${result.exitCode}`);
    throw new TwinboxError('guest-command-failed', `${what} failed in the guest: ${detail.split('\n').slice(-3).join(' / ')}`, {
      details: { path, exitCode: result.exitCode },
    });
  }
  return result;
}
