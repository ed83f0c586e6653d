import { menuEntries } from '../../core/apps/menu-entries.js';
import type { Core } from '../../core/open-core.js';
import { renderApp } from '../terminal/render-app.js';
import { coreLauncher, type MenuLauncher } from './menu-launcher.js';
import { MenuScreen, type MenuMemory, type MenuOutcome } from './menu-screen.js';
import { failureStatus } from './menu-status.js';

/** Below this the filter, a few apps and the footer do not fit: the menu says so instead. */
export const MENU_MIN_SIZE = { columns: 44, rows: 12, what: 'twinbox menu' };

export interface RunMenuOptions {
  core: Core;
  env: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  launcher?: MenuLauncher;
}

export interface MenuResult {
  exitCode: number;
  /** Left while a launch was still starting its workspace: that work is still in flight. */
  launchInFlight: boolean;
}

/**
 * The app menu until the user leaves it. A terminal app needs the whole terminal, so the menu
 * is taken down for it (Ink unmounted, the terminal restored) and drawn again when it ends.
 * Nothing here stops a workspace: leaving, or a dropped connection, leaves it running.
 */
export async function runMenu(options: RunMenuOptions): Promise<MenuResult> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const launcher = options.launcher ?? coreLauncher(options.core);
  let memory: MenuMemory | undefined;
  for (;;) {
    // Read afresh each time: a launch changed the counts, setup may have published more apps.
    const entries = await menuEntries(options.core);
    let outcome: MenuOutcome = { type: 'quit' };
    const running = renderApp(() => <MenuScreen entries={entries} launcher={launcher} memory={memory} onLeave={(left) => (outcome = left)} />, {
      stdin,
      stdout,
      stderr,
      env: options.env,
      alternateScreen: true,
      minSize: MENU_MIN_SIZE,
    });
    await running.done;
    const left = outcome as MenuOutcome;
    if (left.type === 'quit') return { exitCode: 0, launchInFlight: left.launching === true };
    memory = left.memory;
    try {
      const result = await launcher.runTerminal(left.entry, stdin, stdout, stderr);
      const ended = result.detached ? 'left with Ctrl-]; the app was hung up' : `ended (exit ${result.exitCode ?? 'by a signal'})`;
      memory = { ...memory, status: { kind: 'note', text: `${left.entry.app.name} ${ended}` } };
    } catch (error) {
      memory = { ...memory, status: failureStatus(left.entry, error) };
    }
  }
}
