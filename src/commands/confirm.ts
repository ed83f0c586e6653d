import { createInterface } from 'node:readline/promises';
import { TwinboxError } from '../plugin-api/index.js';

export interface Confirmation {
  /** Asked on the terminal, answered y or yes. */
  question: string;
  /** Said without a terminal: what the command would do and that it needs confirmation. */
  needs: string;
  /** The command line that confirms without asking (`… --yes`). */
  confirmWith: string;
}

/**
 * What loses data for good waits for a person's yes on a terminal; without one it needs
 * --yes, and asks nothing of a script (exit 2 with the command that confirms).
 */
export async function confirmed(confirmation: Confirmation, output: NodeJS.WritableStream): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new TwinboxError('confirmation-required', `${confirmation.needs} needs confirmation, but there is no terminal to ask on`, {
      hint: `run \`${confirmation.confirmWith}\` to confirm`,
      exit: 'usage',
    });
  }
  const terminal = createInterface({ input: process.stdin, output });
  try {
    return /^y(es)?$/i.test((await terminal.question(`${confirmation.question} [y/N] `)).trim());
  } finally {
    terminal.close();
  }
}
