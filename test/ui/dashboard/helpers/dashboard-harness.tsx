import { render } from 'ink-testing-library';
import type { ExecutionContext } from 'ava';
import chalk from 'chalk';
import { useEffect } from 'react';
import { openCore, type Core } from '../../../../src/core/open-core.js';
import { DashboardApp, type DashboardOptions } from '../../../../src/ui/dashboard/dashboard-app.js';
import { DashboardService } from '../../../../src/ui/dashboard/dashboard-service.js';
import { createTheme, ThemeProvider } from '../../../../src/ui/terminal/theme.js';
import type { TerminalCapabilities } from '../../../../src/ui/terminal/capabilities.js';

export interface Harness {
  core: Core;
  /** Sends keys as a terminal would: each string is one read. */
  press(...keys: string[]): Promise<void>;
  /** The last frame as text, without escape sequences. */
  frame(): string;
  /** Every frame written so far, escapes included. */
  frames(): string[];
  /** Waits until the last frame matches; fails with that frame after the time limit. */
  waitFor(expected: string | RegExp | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  exited(): boolean;
}

export const KEYS = { up: '\u001B[A', down: '\u001B[B', escape: '\u001B', enter: '\r', backspace: '\u007F', pageDown: '\u001B[6~' } as const;

/** SGR sequences (colour, bold, inverse…), which the text assertions look through. */
const STYLE = /\u001B\[[0-9;]*m/g;

function matches(frame: string, expected: string | RegExp | ((frame: string) => boolean)): boolean {
  if (typeof expected === 'string') return frame.includes(expected);
  if (expected instanceof RegExp) return expected.test(frame);
  return expected(frame);
}

// Ink colours through chalk, which sees no terminal in a test worker: act as a colour terminal,
// so that a monochrome screen is monochrome because of the theme, not because of the worker.
chalk.level = 1;

/** Renders nothing; tells when Ink unmounts the tree, which is what quitting does. */
function UnmountProbe({ onUnmount }: { onUnmount: () => void }) {
  useEffect(() => onUnmount, [onUnmount]);
  return null;
}

/**
 * The dashboard rendered by ink-testing-library (100 columns) on a real core: the fake
 * hypervisor's VMs, real files and locks. Polls every 50 ms so tests see changes soon.
 */
export function renderDashboard(t: ExecutionContext, env: NodeJS.ProcessEnv, capabilities: TerminalCapabilities = { unicode: true, color: true, styles: true }, options: Partial<DashboardOptions> = {}): Harness {
  const core = openCore({ env });
  const service = new DashboardService(core);
  let exited = false;
  const theme = createTheme(capabilities);
  const app = render(
    <ThemeProvider theme={theme}>
      <UnmountProbe onUnmount={() => (exited = true)} />
      <DashboardApp service={service} options={{ pollMs: 50, pingTimeoutMs: 2000, ...options }} />
    </ThemeProvider>,
  );
  t.teardown(async () => {
    if (!exited) app.unmount();
    // Detection that outlives the screen writes the QEMU plugin's cache: it must end before
    // the test's home is removed (teardowns run last-registered first), or it makes it again.
    await service.settled();
  });
  const harness: Harness = {
    core,
    async press(...keys) {
      for (const key of keys) {
        app.stdin.write(key);
        // Ink reads input on the next turn of the event loop.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    frame: () => (app.lastFrame() ?? '').replace(STYLE, ''),
    frames: () => app.frames,
    async waitFor(expected, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const frame = harness.frame();
        if (matches(frame, expected)) return frame;
        if (Date.now() > deadline) throw new Error(`the dashboard never showed ${String(expected)}; its last frame:\n${frame}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    exited: () => exited,
  };
  return harness;
}
