/** How the commands that may run first-time setup (setup, start, reset) show its progress. */
import { createInterface } from 'node:readline/promises';
import { isTwinboxError } from '../plugin-api/index.js';
import type { SetupMode, SetupProgressEvent } from '../core/setup/progress-events.js';
import type { PromptAnswerer } from '../core/setup/prompts.js';
import type { SetupOptions, SetupResult } from '../core/setup/setup-workspace.js';
import { formatDuration } from '../core/setup/step-runner.js';
import { UsageError } from './usage-error.js';

const MODES: readonly SetupMode[] = ['attended', 'unattended', 'silent'];

export function parseMode(value: string | undefined): SetupMode | undefined {
  if (value === undefined) return undefined;
  const mode = MODES.find((candidate) => candidate === value);
  if (!mode) throw new UsageError(`--mode must be one of ${MODES.join(', ')}`);
  return mode;
}

function timing(event: SetupProgressEvent): string {
  const parts = [`${event.percent ?? 0}%`, `${formatDuration(event.elapsedMs)} elapsed`];
  if (event.remainingMs !== undefined) parts.push(`~${formatDuration(event.remainingMs)} left`);
  return parts.join(' · ');
}

/** One line per event in plain text; attended mode shows everything, unattended only the progress. */
function plainLine(event: SetupProgressEvent, mode: SetupMode): string | undefined {
  const attended = mode === 'attended';
  switch (event.type) {
    case 'setup-started':
      return [
        `Setting up ${event.workspace} ${event.version} (${event.mode})`,
        ...(event.message ? [event.message] : []),
        ...(event.resumedAfter.length > 0 ? [`resuming: ${event.resumedAfter.length} step(s) were done by an earlier run`] : []),
      ].join('\n');
    case 'step-started':
      return `[${event.index}/${event.total}] ${event.title}${event.attempt > 1 ? ` (attempt ${event.attempt}, limit ${formatDuration(event.timeoutMs)})` : ''} — ${timing(event)}`;
    case 'step-progress':
      return attended ? `      ${event.message}` : undefined;
    case 'step-done':
      if (event.skipped) return attended ? `[-] ${event.title}: done earlier` : undefined;
      return attended ? `      done in ${formatDuration(event.durationMs)}` : undefined;
    case 'step-failed':
      return `      failed: ${event.message}`;
    case 'step-retry':
      return `      retrying: attempt ${event.attempt} of ${event.maxAttempts}, limit ${formatDuration(event.timeoutMs)}`;
    case 'log-line':
      if (!attended) return event.stream === 'warn' ? `      warning: ${event.line}` : undefined;
      return `      ${event.stream === 'stderr' ? '!' : '|'} ${event.line}`;
    case 'prompt-answered':
      return attended && event.source === 'default' ? `      ${event.id}: ${event.answer}` : undefined;
    case 'setup-ready':
      return `${event.workspace} is ready: ${event.apps} app(s) published${event.computerName ? `, guest named ${event.computerName}` : ''} (${formatDuration(event.elapsedMs)})`;
    case 'setup-failed':
      return [event.failureMessage, event.helpUrl ? `help: ${event.helpUrl}` : undefined].filter(Boolean).join('\n') || undefined;
    default:
      return undefined;
  }
}

/** Asks on the terminal; without one (a pipe, a service) the default is taken. */
function terminalAnswerer(output: NodeJS.WritableStream): PromptAnswerer | undefined {
  if (!process.stdin.isTTY) return undefined;
  return async (prompt) => {
    const terminal = createInterface({ input: process.stdin, output });
    try {
      for (let tries = 0; tries < 3; tries++) {
        const answer = (await terminal.question(`${prompt.question} [${prompt.default}]: `)).trim();
        if (answer === '') return undefined;
        const problem = prompt.validate?.(answer);
        if (!problem) return answer;
        output.write(`  cannot use "${answer}": ${problem}\n`);
      }
      return undefined;
    } finally {
      terminal.close();
    }
  };
}

export interface SetupView {
  options: Pick<SetupOptions, 'onProgress' | 'answer' | 'mode'>;
  /** The mode setup ran in, once it has started. */
  mode(): SetupMode | undefined;
}

/**
 * How setup's progress is shown: JSON lines, plain lines by mode, or nothing in silent mode
 * or without an output (the progress is in the event log either way).
 */
export function setupView(output: NodeJS.WritableStream | undefined, json: boolean, mode: SetupMode | undefined): SetupView {
  let effective = mode;
  const onProgress = (event: SetupProgressEvent) => {
    if (event.type === 'setup-started') effective = event.mode;
    if (!output) return;
    if (json) {
      output.write(`${JSON.stringify(event)}\n`);
      return;
    }
    const line = effective && effective !== 'silent' ? plainLine(event, effective) : undefined;
    if (line) output.write(`${line}\n`);
  };
  return { options: { mode, onProgress, answer: json || !output ? undefined : terminalAnswerer(output) }, mode: () => effective };
}

export function resultLine(result: SetupResult): string {
  return result.alreadyReady
    ? `${result.workspace} is already set up (${result.apps} app(s) published); \`twinbox reset ${result.workspace}\` sets it up again\n`
    : '';
}

/** Silent mode shows nothing, failures included: the exit code says it all. */
export async function silencedInSilentMode<T>(view: SetupView, json: boolean, work: () => Promise<T>): Promise<T | number> {
  try {
    return await work();
  } catch (error) {
    if (!json && view.mode() === 'silent' && isTwinboxError(error)) return error.exitCode;
    throw error;
  }
}
