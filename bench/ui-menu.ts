/**
 * The app menu over a slow link: bytes written per keystroke while filtering at 80×24 (Ink's
 * incremental rendering, as `twinbox menu` renders), and the time from a keystroke to its
 * frame with 10,000 published apps. Both drive the real menu screen on an in-memory terminal.
 */
import { PassThrough, Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { menuEntry, orderMenu, type MenuEntry } from '../src/core/apps/menu-entries.js';
import type { CatalogApp } from '../src/core/setup/app-catalog.js';
import { filterMenu, indexEntries } from '../src/ui/menu/menu-filter.js';
import type { MenuLauncher } from '../src/ui/menu/menu-launcher.js';
import type { BenchResult } from './measure.js';

// The bundled CLI runs React's production build; load the same one here. React reads this
// once, when it is first imported: below, after this line has run (hence no JSX in this file,
// whose runtime import would load React first).
process.env.NODE_ENV = 'production';
// Colour codes count: a real terminal gets them (chalk decides when it loads, like React).
process.env.FORCE_COLOR = '1';
const { createElement } = await import('react');
const { MenuScreen } = await import('../src/ui/menu/menu-screen.js');
const { renderApp } = await import('../src/ui/terminal/render-app.js');
const { render } = await import('ink');
const { ThemeProvider, createTheme } = await import('../src/ui/terminal/theme.js');
const { detectCapabilities } = await import('../src/ui/terminal/capabilities.js');

/**
 * Who writes the frames: twinbox's screen writer (src/ui/terminal/screen-output.ts, what
 * `twinbox menu` uses), or Ink's own renderers given the same terminal — its standard one,
 * which erases and rewrites the whole frame, and its incremental one, which rewrites changed
 * lines but in Ink 6.8 leaves stale rows (the whole-screen tests showed it; render-app.tsx).
 */
type Renderer = 'screen writer' | 'ink standard' | 'ink incremental';

// Each Ink instance adds a beforeExit listener of its own; this benchmark opens a dozen in turn.
process.setMaxListeners(50);

const BYTES_TARGET = 300;
const LATENCY_TARGET_MS = 16;
/** More than Ink's frame interval (30 fps), so each key gets its own frame, as typing does. */
const KEY_INTERVAL_MS = 45;

const APP_NAMES = [
  'Text Editor', 'Terminal', 'Calculator', 'Calendar', 'Mail', 'Web Browser', 'File Manager', 'Image Viewer',
  'Document Viewer', 'Spreadsheet', 'Presentation', 'Word Processor', 'Drawing', 'Archive Manager', 'Disk Usage',
  'System Monitor', 'Process Viewer', 'Network Tools', 'Remote Desktop', 'Password Manager', 'Notes', 'Contacts',
  'Music Player', 'Video Player', 'Screenshot', 'Character Map', 'Fonts', 'Printer Settings', 'Log Viewer',
  'Database Browser', 'SQL Console', 'Python Shell', 'Git Client', 'Diff Viewer', 'Hex Editor', 'Scanner',
  'Clock', 'Weather', 'Maps', 'Dictionary',
];
const WORKSPACES = ['office', 'lab', 'legacy'];
const CATEGORIES = ['Office', 'Utility', 'Development', undefined];

const noLaunch: MenuLauncher = {
  runCommand: () => Promise.reject(new Error('the benchmark launches nothing')),
  prepareTerminal: () => Promise.reject(new Error('the benchmark launches nothing')),
  runTerminal: () => Promise.reject(new Error('the benchmark launches nothing')),
  showsWindows: false,
  openGui: () => Promise.reject(new Error('the benchmark launches nothing')),
};

function catalogue(count: number): MenuEntry[] {
  const entries: MenuEntry[] = [];
  for (let i = 0; i < count; i++) {
    const workspace = WORKSPACES[i % WORKSPACES.length]!;
    const base = APP_NAMES[i % APP_NAMES.length]!;
    const name = i < APP_NAMES.length ? base : `${base} ${Math.floor(i / APP_NAMES.length) + 1}`;
    const id = `${name.toLowerCase().replace(/ /g, '-')}-${i}`;
    const category = CATEGORIES[i % CATEGORIES.length];
    const app: CatalogApp = { id, name, kind: i % 5 === 0 ? 'terminal' : 'command', command: [`/usr/bin/${id}`], source: 'bench', origin: 'discovered', categories: category ? [category] : undefined };
    entries.push(menuEntry(workspace, app, (i * 7919) % 13));
  }
  return orderMenu(entries);
}

/** An 80×24 terminal in memory that counts what is written to it and when. */
class MeasuredTerminal extends Writable {
  readonly isTTY = true;
  /**
   * The terminal's other stream, as a process has its own process.stderr beside process.stdout
   * on the same terminal: the screen writer watches it for writes that spoil the screen
   * (screen-output.ts). Given the same stream as stdout, its own redraws would count as such.
   */
  readonly stderr: MeasuredTerminal | undefined;
  readonly columns = 80;
  readonly rows = 24;
  bytes = 0;
  lastWriteAt = 0;
  onWrite?: () => void;

  constructor(withStderr = true) {
    super();
    this.stderr = withStderr ? new MeasuredTerminal(false) : undefined;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.bytes += Buffer.byteLength(chunk);
    this.lastWriteAt = performance.now();
    this.onWrite?.();
    done();
  }
}

function keyboard(): NodeJS.ReadStream {
  const stream = new PassThrough() as unknown as NodeJS.ReadStream & { isTTY: boolean; setRawMode(mode: boolean): unknown };
  stream.isTTY = true;
  stream.setRawMode = () => stream;
  stream.ref = () => stream;
  stream.unref = () => stream;
  return stream;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Session {
  terminal: MeasuredTerminal;
  keys: NodeJS.ReadStream;
  close(): Promise<void>;
}

async function openMenu(entries: MenuEntry[], renderer: Renderer = 'screen writer'): Promise<Session> {
  const terminal = new MeasuredTerminal();
  const keys = keyboard();
  if (renderer !== 'screen writer') {
    const env = { TERM: 'xterm-256color', LANG: 'C.UTF-8' };
    const screen = createElement(MenuScreen, { entries, launcher: noLaunch, onLeave: () => undefined });
    const instance = render(createElement(ThemeProvider, { theme: createTheme(detectCapabilities(env)), children: screen }), {
      stdin: keys,
      stdout: terminal as unknown as NodeJS.WriteStream,
      stderr: terminal.stderr as unknown as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
      incrementalRendering: renderer === 'ink incremental',
    });
    await pause(200);
    return {
      terminal,
      keys,
      async close() {
        instance.unmount();
        await instance.waitUntilExit();
      },
    };
  }
  const running = renderApp(() => createElement(MenuScreen, { entries, launcher: noLaunch, onLeave: () => undefined }), {
    stdin: keys,
    stdout: terminal as unknown as NodeJS.WriteStream,
    stderr: terminal.stderr as unknown as NodeJS.WriteStream,
    env: { TERM: 'xterm-256color', LANG: 'C.UTF-8' },
    alternateScreen: true,
  });
  await pause(200);
  return {
    terminal,
    keys,
    async close() {
      running.instance.unmount();
      await running.done;
    },
  };
}

/** A key whose frame is unchanged writes nothing: give up waiting for a write after this. */
const NO_FRAME_MS = 1000;

/** Writes one key; resolves with the milliseconds until the terminal received its frame. */
function keystroke(session: Session, key: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const started = performance.now();
    const unchanged = setTimeout(() => {
      session.terminal.onWrite = undefined;
      resolve(undefined);
    }, NO_FRAME_MS);
    session.terminal.onWrite = () => {
      session.terminal.onWrite = undefined;
      clearTimeout(unchanged);
      resolve(performance.now() - started);
    };
    session.keys.write(key);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** What a user types: a few queries, corrections and clears. */
const TYPING = [...'term', '\u007F', '\u007F', '\u007F', '\u007F', ...'calc', '\u0015', ...'view', '\u0015', ...'edit'];

async function bytesPerKeystroke(apps: number, rounds: number, renderer: Renderer = 'screen writer'): Promise<BenchResult> {
  const perRound: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const session = await openMenu(catalogue(apps), renderer);
    const before = session.terminal.bytes;
    for (const key of TYPING) {
      session.keys.write(key);
      await pause(KEY_INTERVAL_MS);
    }
    perRound.push((session.terminal.bytes - before) / TYPING.length);
    await session.close();
  }
  const value = Math.round(median(perRound));
  if (renderer !== 'screen writer') {
    return {
      name: `menu: bytes written per keystroke while filtering at 80x24 (${apps} apps) by ${renderer === 'ink standard' ? "Ink's standard renderer" : "Ink's incremental renderer (stale rows)"}, without twinbox's screen writer`,
      value,
      unit: ' B',
      target: Number.POSITIVE_INFINITY,
      pass: true,
      informative: true,
      detail: `median of ${rounds} rounds of ${TYPING.length} keys, the same keys and screen`,
    };
  }
  return {
    name: `menu: bytes written per keystroke while filtering at 80x24 (${apps} apps in ${WORKSPACES.length} workspaces)`,
    value,
    unit: ' B',
    target: BYTES_TARGET,
    pass: value <= BYTES_TARGET,
    detail: `${(value / BYTES_TARGET).toFixed(2)}x the target; median of ${rounds} rounds of ${TYPING.length} keys (typing, Backspace, Ctrl-U)`,
  };
}

async function filterLatency(rounds: number): Promise<BenchResult[]> {
  const entries = catalogue(10_000);
  const session = await openMenu(entries);
  const frames: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const key of [...'calc', '\u007F', '\u007F', '\u007F', '\u007F', ...'term', '\u0015']) {
      const took = await keystroke(session, key);
      if (took !== undefined) frames.push(took);
      await pause(KEY_INTERVAL_MS);
    }
  }
  await session.close();
  const index = indexEntries(entries);
  const filterTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const query of ['c', 'ca', 'cal', 'calc', 'te', 'ter', 'term', 'x']) {
      const started = performance.now();
      filterMenu(index, query);
      filterTimes.push(performance.now() - started);
    }
  }
  const frameMedian = Math.round(median(frames) * 10) / 10;
  const filterMedian = Math.round(median(filterTimes) * 10) / 10;
  return [
    {
      name: 'menu: keystroke to frame with 10,000 published apps',
      value: frameMedian,
      unit: ' ms',
      target: LATENCY_TARGET_MS,
      pass: frameMedian <= LATENCY_TARGET_MS,
      detail: `${(frameMedian / LATENCY_TARGET_MS).toFixed(2)}x the target; median of ${frames.length} keys, slowest ${Math.max(...frames).toFixed(1)} ms; the fuzzy filter alone ${filterMedian} ms`,
    },
  ];
}

export async function menuBench(rounds: number): Promise<BenchResult[]> {
  const few = Math.max(3, Math.round(rounds / 3));
  // A user's usual catalogue, and a large one that fills the screen whatever is typed.
  // What keeps the screen writer: the bytes Ink's own renderers write for the same keys.
  const compared = async (apps: number): Promise<BenchResult[]> => {
    const ours = await bytesPerKeystroke(apps, few);
    const standard = await bytesPerKeystroke(apps, few, 'ink standard');
    const incremental = await bytesPerKeystroke(apps, few, 'ink incremental');
    const share = Math.round((ours.value / standard.value) * 100) / 100;
    return [
      ours,
      standard,
      incremental,
      {
        name: `menu: bytes per keystroke, twinbox's screen writer / Ink's standard renderer (${apps} apps, the same keys)`,
        value: share,
        unit: 'x',
        target: 0.5,
        pass: share <= 0.5,
        detail: `${ours.value} B vs ${standard.value} B; Ink's incremental renderer ${incremental.value} B, with stale rows`,
      },
    ];
  };
  return [
    ...(await compared(40)),
    ...(await compared(120)),
    ...(await filterLatency(few)),
  ];
}

// `node build/bench/ui-menu.js` runs this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const result of await menuBench(15)) {
    process.stdout.write(`${result.pass ? 'PASS' : 'FAIL'}  ${result.name}: ${result.value}${result.unit} (target ≤ ${result.target}${result.unit}; ${result.detail ?? ''})\n`);
  }
}
