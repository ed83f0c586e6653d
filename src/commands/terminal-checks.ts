import { TwinboxError } from '../plugin-api/index.js';

/** Whether both ends of this process are a terminal: the dashboard reads keys and draws a screen. */
export function onTerminal(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true;
}

/**
 * TERM=dumb (Emacs shell buffers, some CI consoles) moves no cursor and clears no screen: a
 * full-screen UI would be a scroll of escape sequences. Refused before anything is drawn.
 */
export function refuseDumbTerminal(env: NodeJS.ProcessEnv, what: string, plain: string): void {
  if (env.TERM !== 'dumb') return;
  throw new TwinboxError('dumb-terminal', `${what} draws a full screen, and this terminal (TERM=dumb) cannot move its cursor`, {
    hint: `${plain}; or set TERM to your terminal's type (e.g. TERM=xterm-256color)`,
    exit: 'usage',
  });
}
