import type { ExecutionContext } from 'ava';
import { render } from 'ink-testing-library';
import type { MenuEntry } from '../../../../src/core/apps/menu-entries.js';
import { detectCapabilities } from '../../../../src/ui/terminal/capabilities.js';
import { createTheme, ThemeProvider } from '../../../../src/ui/terminal/theme.js';
import type { MenuLauncher } from '../../../../src/ui/menu/menu-launcher.js';
import { MenuScreen, type MenuMemory, type MenuOutcome } from '../../../../src/ui/menu/menu-screen.js';

export interface RenderedMenu {
  frame(): string;
  /** Writes keys as a terminal sends them, then lets Ink handle them and redraw. */
  press(...keys: string[]): Promise<void>;
  /** Waits (polling, never a timed assertion) until the frame satisfies `check`. */
  until(check: (frame: string) => boolean, what: string): Promise<string>;
  /** Asserts that the frame comes to match; a loaded machine redraws late, so frames are awaited, not read. */
  shows(pattern: RegExp): Promise<string>;
  outcomes: MenuOutcome[];
  unmount(): void;
}

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
  ctrlU: '\u0015',
} as const;

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A launcher for views whose test never launches: any launch fails the test loudly. */
export const noLaunches: MenuLauncher = {
  runCommand: () => Promise.reject(new Error('this test launches nothing')),
  prepareTerminal: () => Promise.reject(new Error('this test launches nothing')),
  runTerminal: () => Promise.reject(new Error('this test launches nothing')),
  showsWindows: false,
  openGui: () => Promise.reject(new Error('this test launches nothing')),
};

export function renderMenu(t: ExecutionContext, entries: readonly MenuEntry[], options: { launcher?: MenuLauncher; env?: NodeJS.ProcessEnv; memory?: MenuMemory } = {}): RenderedMenu {
  const theme = createTheme(detectCapabilities(options.env ?? { TERM: 'xterm-256color', LANG: 'en_US.UTF-8' }));
  const outcomes: MenuOutcome[] = [];
  const rendered = render(
    <ThemeProvider theme={theme}>
      <MenuScreen entries={entries} launcher={options.launcher ?? noLaunches} memory={options.memory} onLeave={(outcome) => outcomes.push(outcome)} />
    </ThemeProvider>,
  );
  t.teardown(rendered.unmount);
  const frame = () => rendered.lastFrame() ?? '';
  return {
    frame,
    outcomes,
    unmount: rendered.unmount,
    async press(...keys) {
      // Ink subscribes to input in an effect after the first frame.
      await tick();
      for (const key of keys) {
        rendered.stdin.write(key);
        // Ink parses input on the next turn and flushes a lone Esc a turn later.
        await tick();
        await tick();
      }
    },
    async shows(pattern) {
      const deadline = Date.now() + 60_000;
      while (!pattern.test(frame()) && Date.now() < deadline) await tick();
      // The assertion itself: fails with the frame when it never matched.
      t.regex(frame(), pattern);
      return frame();
    },
    async until(check, what) {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (check(frame())) return frame();
        await tick();
      }
      throw new Error(`the menu never showed ${what}; it showed:\n${frame()}`);
    },
  };
}

export function entry(workspace: string, id: string, name: string, extra: Partial<MenuEntry> & { kind?: MenuEntry['app']['kind'] } = {}): MenuEntry {
  const { kind = 'command', ...rest } = extra;
  const group = rest.category ? `${workspace} / ${rest.category}` : workspace;
  return { key: `${workspace}/${id}`, workspace, group, uses: 0, app: { id, name, kind, command: [`/usr/bin/${id}`], source: 'test', origin: 'discovered' }, ...rest };
}
