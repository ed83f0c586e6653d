import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { TwinboxError } from '../../../plugin-api/index.js';
import { EventCodes } from '../../events/codes.js';
import { customizerFor } from '../guest/guest-customizer.js';
import { text } from '../guest/guest-program.js';
import { notRetryable, scriptStepId, type SetupRun } from '../setup-run-context.js';
import type { SetupStep, StepContext } from '../step-runner.js';

/** Enough to see what a script did and why it failed, without flooding the event log. */
const MAX_LINES_PER_STREAM = 500;

function logOutput(context: StepContext, stream: 'stdout' | 'stderr', bytes: Uint8Array, truncated: boolean | undefined): string[] {
  const lines = text(bytes).split('\n');
  if (lines.at(-1) === '') lines.pop();
  const shown = lines.slice(-MAX_LINES_PER_STREAM);
  if (shown.length < lines.length) context.log('warn', `${lines.length - shown.length} earlier ${stream} lines left out`);
  for (const line of shown) context.log(stream, line);
  if (truncated) context.log('warn', `the guest agent cut the script's ${stream} short`);
  return shown;
}

async function scriptContent(run: SetupRun, path: string): Promise<Uint8Array> {
  try {
    return await readFile(join(run.entry.storeDir, path));
  } catch {
    throw notRetryable('setup-script-missing', `setup script ${path} is missing from the installed package`, 'reinstall the workspace package');
  }
}

/**
 * Copies one of the package's setup scripts into the guest and runs it there, its output going
 * to the event log line by line. Once the journal has it as done it never runs again; a run
 * killed while the script ran does run it again, so scripts should be safe to repeat.
 */
export function scriptStep(run: SetupRun, path: string, index: number): SetupStep {
  return {
    id: scriptStepId(index),
    title: `Run setup script ${path}`,
    weight: 10,
    failureCode: EventCodes.setupScriptFailed,
    async run(context) {
      const content = await scriptContent(run, path);
      const result = await run.withAgent(context, async (session) => {
        const guest = await customizerFor(session, context.remainingMs());
        const guestPath = await guest.stageScript(session, `${index}-${basename(path)}`, content, context.remainingMs());
        context.progress(`running ${path} in the guest`);
        return guest.runScript(session, guestPath, { workspace: run.ws.name, computerName: run.computerName }, context.remainingMs());
      });
      logOutput(context, 'stdout', result.stdout, result.stdoutTruncated);
      const errors = logOutput(context, 'stderr', result.stderr, result.stderrTruncated);
      if (result.exitCode !== 0) {
        const how = result.signal ? `was killed by signal ${result.signal}` : `exited with code ${result.exitCode}`;
        const last = errors.at(-1);
        throw new TwinboxError('setup-script-failed', `setup script ${path} ${how}${last ? `: ${last}` : ''}`, { details: { script: path, exitCode: result.exitCode } });
      }
      return { script: path, exitCode: 0 };
    },
  };
}
