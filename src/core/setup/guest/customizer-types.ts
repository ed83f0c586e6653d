import type { GuestAgentSession, GuestExecResult } from '../../../plugin-api/index.js';

export interface ScriptEnvironment {
  workspace: string;
  computerName?: string;
}

/**
 * How setup changes one family of guest OS through the guest agent. Every operation is
 * idempotent: a resumed setup may repeat the one it was killed in.
 */
export interface GuestCustomizer {
  readonly family: 'linux' | 'windows';
  setComputerName(session: GuestAgentSession, name: string, timeoutMs: number): Promise<void>;
  /** The name the guest will have from now on (Windows applies a new name only at the next boot). */
  computerName(session: GuestAgentSession, timeoutMs: number): Promise<string>;
  /** Returns warnings about what could not be copied. */
  setTimeZone(session: GuestAgentSession, zone: string, timeoutMs: number): Promise<string[]>;
  setLocale(session: GuestAgentSession, locale: string, timeoutMs: number): Promise<string[]>;
  ensureUser(session: GuestAgentSession, user: { name: string; addToAdmins: boolean }, timeoutMs: number): Promise<void>;
  /** Copies a setup script into the guest; returns its path there. */
  stageScript(session: GuestAgentSession, fileName: string, content: Uint8Array, timeoutMs: number): Promise<string>;
  runScript(session: GuestAgentSession, guestPath: string, env: ScriptEnvironment, timeoutMs: number): Promise<GuestExecResult>;
}
