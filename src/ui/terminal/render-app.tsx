import { render, useStdin, type Instance } from 'ink';
import { useEffect, type ReactElement } from 'react';
import { compactOutput } from './compact-output.js';
import { screenOutput } from './screen-output.js';
import { detectCapabilities, type TerminalCapabilities } from './capabilities.js';
import { createTheme, ThemeProvider, type Theme } from './theme.js';
import { SizeGuard, type MinimumSize } from '../components/size-guard.js';

export interface RenderAppOptions {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  /** Draw on the terminal's alternate screen, so leaving restores what was there before. */
  alternateScreen?: boolean;
  /** The smallest terminal the app can be drawn on; a smaller one shows one line saying so (q still quits). */
  minSize?: MinimumSize;
}

export interface RunningApp {
  instance: Instance;
  theme: Theme;
  /** Draws another element in place of the first (with the same theme), e.g. once data has loaded. */
  replace(element: ReactElement): void;
  /** Resolves when the app exits (by `useApp().exit()` or unmount); restores the terminal. */
  done: Promise<unknown>;
}

const ENTER_ALTERNATE = '\u001B[?1049h';
const LEAVE_ALTERNATE = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';

/**
 * Keeps the terminal in raw mode for as long as a full-screen app runs. Ink puts it there while
 * some component reads keys, and back in cooked mode, with echo, as soon as none does: when
 * `replace` swaps the first screen for the next, between the first one's key handler going and
 * the next one's coming (after the next screen's first frame and its children's effects). A key
 * typed then is echoed by the terminal driver where the cursor is — after the footer, on the
 * bottom row: the whole screen scrolls up a row under the screen writer's feet.
 */
function RawModeKept() {
  const { setRawMode, isRawModeSupported } = useStdin();
  useEffect(() => {
    if (!isRawModeSupported) return;
    setRawMode(true);
    return () => setRawMode(false);
  }, [isRawModeSupported, setRawMode]);
  return null;
}

/**
 * Renders a full-screen Ink app with what matters over SSH — on the alternate screen only the
 * cells that changed are written (moved lines moved), inline only the changed lines — and puts
 * the terminal back on every way out: a normal exit, a signal, a dropped connection (SIGHUP), a
 * crash.
 */
export function renderApp(element: (theme: Theme) => ReactElement, options: RenderAppOptions = {}): RunningApp {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const capabilities: TerminalCapabilities = detectCapabilities(options.env ?? process.env);
  const theme = createTheme(capabilities);
  if (options.alternateScreen) stdout.write(ENTER_ALTERNATE);

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    if (stdin.isTTY) {
      try {
        stdin.setRawMode(false);
      } catch {
        // A closed terminal (dropped SSH connection) has nothing left to restore.
      }
    }
    try {
      stdout.write(`${options.alternateScreen ? LEAVE_ALTERNATE : ''}${SHOW_CURSOR}`);
    } catch {
      // As above: writing to a terminal that is gone fails, and there is nothing to fix.
    }
  };

  // On the alternate screen the app owns every cell, and only what changed on it is written;
  // inline, below a shell's output, Ink's own line-by-line updates (compacted) are used.
  const stderr = options.stderr ?? process.stderr;
  const screen = options.alternateScreen ? screenOutput(stdout, stderr) : undefined;
  const wrap = (inner: ReactElement) => (
    <ThemeProvider theme={theme}>
      {options.alternateScreen ? <RawModeKept /> : null}
      {options.minSize ? <SizeGuard min={options.minSize}>{inner}</SizeGuard> : inner}
    </ThemeProvider>
  );
  // From the first frame on, not from the first effect after it: a key typed in between is echoed too.
  if (options.alternateScreen && stdin.isTTY) stdin.setRawMode(true);
  const instance = render(wrap(element(theme)), {
    stdin,
    stdout: screen?.stream ?? compactOutput(stdout),
    stderr,
    exitOnCtrlC: false,
    // Not Ink's incremental renderer: in Ink 6.8 it moves the cursor one row short after a frame
    // that ends in a newline (every frame shorter than the terminal), so each changed line lands
    // one row below its place and the rows it should clear keep old text (the whole-screen
    // tests in test/e2e/*-screen.test.ts showed it). Ink's standard renderer erases and
    // redraws the whole frame; on the alternate screen the screen writer turns that into only
    // the cells that changed, inline the frame is redrawn whole.
    incrementalRendering: false,
    patchConsole: true,
  });

  const onSignal = (signal: NodeJS.Signals) => {
    instance.unmount();
    restore();
    // 128 + the signal number, as shells report it.
    process.exit(signal === 'SIGHUP' ? 129 : signal === 'SIGINT' ? 130 : 143);
  };
  const onCrash = (error: unknown) => {
    instance.unmount();
    restore();
    process.stderr.write(`twinbox: the terminal UI failed: ${(error as Error)?.message ?? String(error)}\nhint: run again with --debug and report the stack trace\n`);
    process.exit(1);
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
  for (const signal of signals) process.on(signal, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.on('exit', restore);

  const done = instance.waitUntilExit().finally(() => {
    screen?.dispose();
    for (const signal of signals) process.off(signal, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('exit', restore);
    restore();
  });
  return { instance, theme, done, replace: (next) => instance.rerender(wrap(next)) };
}
