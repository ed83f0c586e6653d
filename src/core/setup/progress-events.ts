/**
 * What first-time setup reports while it runs. One stream of typed events feeds every view:
 * the plain CLI, `--json` (one event per line) and the terminal UI. Times are milliseconds;
 * `percent` is the share of the whole setup done so far, weighted by how long steps usually take.
 */

export type SetupMode = 'attended' | 'unattended' | 'silent';

export interface StepInfo {
  id: string;
  title: string;
}

interface Timing {
  /** Since this run of setup began. */
  elapsedMs: number;
  /** Of the whole setup, where known. */
  percent?: number;
  /** Time still needed, estimated from the progress so far. */
  remainingMs?: number;
}

export interface SetupStartedEvent extends Timing {
  type: 'setup-started';
  workspace: string;
  version: string;
  mode: SetupMode;
  steps: StepInfo[];
  /** Steps an earlier, interrupted run already finished. */
  resumedAfter: string[];
  /** The package's start message (MED-V's "start" text). */
  message?: string;
}

export interface StepStartedEvent extends Timing {
  type: 'step-started';
  step: string;
  title: string;
  /** 1-based position and the number of steps. */
  index: number;
  total: number;
  /** 1 for the first try. */
  attempt: number;
  timeoutMs: number;
}

export interface StepProgressEvent extends Timing {
  type: 'step-progress';
  step: string;
  /** Of this step, where the step knows it. */
  stepPercent?: number;
  message: string;
}

export interface StepDoneEvent extends Timing {
  type: 'step-done';
  step: string;
  title: string;
  durationMs: number;
  /** Done by an earlier run: resumed from the journal, not repeated. */
  skipped: boolean;
}

export interface StepFailedEvent extends Timing {
  type: 'step-failed';
  step: string;
  attempt: number;
  /** The step's event code (see events/codes.ts). */
  code: number;
  error: string;
  message: string;
  /** No retry follows. */
  final: boolean;
}

export interface StepRetryEvent extends Timing {
  type: 'step-retry';
  step: string;
  /** The attempt about to run (2 for the first retry). */
  attempt: number;
  maxAttempts: number;
  /** The grown time limit of that attempt. */
  timeoutMs: number;
}

export interface LogLineEvent extends Timing {
  type: 'log-line';
  step: string;
  /** `stdout`/`stderr` of a guest program, `info`/`warn` from twinbox itself. */
  stream: 'stdout' | 'stderr' | 'info' | 'warn';
  line: string;
}

export interface PromptEvent extends Timing {
  type: 'prompt';
  step: string;
  id: string;
  question: string;
  default: string;
}

export interface PromptAnsweredEvent extends Timing {
  type: 'prompt-answered';
  step: string;
  id: string;
  answer: string;
  /** `default` when nobody could be asked (unattended, no terminal) or the answer was empty. */
  source: 'user' | 'default';
}

export interface SetupReadyEvent extends Timing {
  type: 'setup-ready';
  workspace: string;
  computerName?: string;
  apps: number;
}

export interface SetupFailedEvent extends Timing {
  type: 'setup-failed';
  workspace: string;
  step: string;
  code: number;
  message: string;
  hint: string;
  /** The package's failure message and help address. */
  failureMessage?: string;
  helpUrl?: string;
}

export type SetupProgressEvent =
  | SetupStartedEvent
  | StepStartedEvent
  | StepProgressEvent
  | StepDoneEvent
  | StepFailedEvent
  | StepRetryEvent
  | LogLineEvent
  | PromptEvent
  | PromptAnsweredEvent
  | SetupReadyEvent
  | SetupFailedEvent;

export type ProgressListener = (event: SetupProgressEvent) => void;
