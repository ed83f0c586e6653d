import type { CommandRunner } from '../../plugin-api/index.js';

/** A FreeRDP client found on this host, with the version its `--version` printed. */
export interface FreeRdpClient {
  /** The program as found on PATH (`xfreerdp3`). */
  program: string;
  path: string;
  /** `3.5.1`; the major number decides the command-line dialect. */
  version: string;
  major: number;
  /** The X11 client (xfreerdp) sets WM_CLASS and needs DISPLAY; the SDL and Wayland ones run on Wayland. */
  toolkit: 'x11' | 'sdl' | 'wayland';
}

interface Candidate {
  program: string;
  toolkit: FreeRdpClient['toolkit'];
}

/**
 * In order of preference: the X11 clients support RemoteApp best; FreeRDP 3 before 2 where
 * both are installed; the Wayland client (`wlfreerdp`, FreeRDP 2's; `wlfreerdp3` where a
 * distribution builds it) last, as it draws RemoteApp windows least well.
 */
const CANDIDATES: readonly Candidate[] = [
  { program: 'xfreerdp3', toolkit: 'x11' },
  { program: 'xfreerdp', toolkit: 'x11' },
  { program: 'sdl-freerdp3', toolkit: 'sdl' },
  { program: 'sdl-freerdp', toolkit: 'sdl' },
  { program: 'wlfreerdp3', toolkit: 'wayland' },
  { program: 'wlfreerdp', toolkit: 'wayland' },
];

export const FREERDP_PROGRAMS = CANDIDATES.map((candidate) => candidate.program);
/** The clients that need no X11 display. */
export const FREERDP_PROGRAMS_WITHOUT_X11 = CANDIDATES.filter((candidate) => candidate.toolkit !== 'x11').map((candidate) => candidate.program);

export const FREERDP_INSTALL_HINT = 'install FreeRDP: apt-get install freerdp3-x11 (Debian 13, Ubuntu 24.04) or freerdp2-x11 (older releases), dnf install freerdp (Fedora)';

const VERSION_TIMEOUT_MS = 5_000;

/**
 * The version from FreeRDP's banner: "This is FreeRDP version 3.5.1 (n/a)" (2.x: "… 2.11.7
 * (2.11.7)"; some builds bracket it, "[3.5.1]"). Undefined when the text is not FreeRDP's.
 */
export function parseFreeRdpVersion(output: string): { version: string; major: number } | undefined {
  const match = /This is FreeRDP version \[?(\d+)\.(\d+)\.(\d+)[^\s\]]*\]?/.exec(output);
  if (!match) return undefined;
  return { version: `${match[1]}.${match[2]}.${match[3]}`, major: Number(match[1]) };
}

/**
 * The first FreeRDP client on PATH that says which version it is, FreeRDP 2 or 3 (older ones
 * are passed over). `x11Display` false (no DISPLAY: a Wayland session without XWayland) leaves
 * out the X11 clients, which could not open a window. `env` is given to `--version`: the X11
 * client of FreeRDP 2 opens its display before it reads its command line, so without DISPLAY
 * even `xfreerdp --version` exits 1 with "failed to open display" (2.11.7, measured).
 */
export async function findFreeRdp(runner: CommandRunner, options: { x11Display: boolean; env?: Record<string, string> }): Promise<FreeRdpClient | undefined> {
  for (const candidate of CANDIDATES) {
    if (candidate.toolkit === 'x11' && !options.x11Display) continue;
    const path = await runner.which(candidate.program);
    if (!path) continue;
    const result = await runner.run(path, ['--version'], { timeoutMs: VERSION_TIMEOUT_MS, env: options.env }).catch(() => undefined);
    const parsed = result ? parseFreeRdpVersion(`${result.stdout}\n${result.stderr}`) : undefined;
    if (parsed && parsed.major >= 2) return { program: candidate.program, path, toolkit: candidate.toolkit, ...parsed };
  }
  return undefined;
}
