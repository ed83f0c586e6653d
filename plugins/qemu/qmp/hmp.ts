import type { QmpConnection } from './qmp-connection.js';

/**
 * Runs a human-monitor command. HMP reports failure only as text: savevm, loadvm and delvm
 * print nothing when they succeed, so any output from them is the error message.
 */
export async function hmp(qmp: QmpConnection, commandLine: string, timeoutMs: number): Promise<string> {
  const output = await qmp.execute('human-monitor-command', { 'command-line': commandLine }, timeoutMs);
  return typeof output === 'string' ? output.trim() : '';
}

export async function hmpSilent(qmp: QmpConnection, commandLine: string, timeoutMs: number): Promise<void> {
  const output = await hmp(qmp, commandLine, timeoutMs);
  if (output) throw new Error(output.replace(/^Error:\s*/i, ''));
}
