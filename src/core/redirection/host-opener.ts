import { realpathSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { isTwinboxError, TwinboxError, type CommandRunner } from '../../plugin-api/index.js';

/**
 * Set for the programs twinbox hands an address to. When twinbox is itself the desktop's
 * handler for http(s) (its .desktop file) or the user's $BROWSER, the host's opener calls
 * twinbox again: seeing this, that second twinbox does not hand the address back.
 */
export const OPENING_ENV = 'TWINBOX_OPENING';
/** twinbox's URL handler, as `xdg-mime default` registers it. */
export const HANDLER_DESKTOP_FILE = 'twinbox-open.desktop';
/** Browsers tried, in order, when neither $BROWSER nor xdg-open can be used. */
const KNOWN_BROWSERS = ['firefox', 'chromium', 'chromium-browser', 'google-chrome', 'epiphany'];

export interface HostOpenerContext {
  runner: CommandRunner;
  env: NodeJS.ProcessEnv;
  /** Paths of this twinbox (bin/twinbox.js, a shim…): a $BROWSER entry naming one is skipped. */
  selfPaths: readonly string[];
}

export interface HostOpenResult {
  /** The program that took the address or file. */
  via: string;
  /** Candidates skipped or failed before it, with why. */
  skipped: string[];
}

interface Candidate {
  argv: string[];
  label: string;
}

function realOrSame(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function isSelf(program: string, context: HostOpenerContext): boolean {
  const name = basename(program);
  if (name === 'twinbox' || name === 'twinbox.js') return true;
  if (!isAbsolute(program)) return false;
  const real = realOrSame(program);
  return context.selfPaths.some((self) => realOrSame(self) === real);
}

/** $BROWSER is a colon-separated list of commands; `%s` stands for the address, else it is appended. */
function browserEntries(value: string, url: string): string[][] {
  return value
    .split(':')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const words = entry.split(/\s+/);
      return entry.includes('%s') ? words.map((word) => word.replaceAll('%s', url)) : [...words, url];
    });
}

async function twinboxHandlesScheme(context: HostOpenerContext, scheme: string): Promise<boolean> {
  try {
    const query = await context.runner.run('xdg-mime', ['query', 'default', `x-scheme-handler/${scheme}`], { timeoutMs: 10_000 });
    return query.exitCode === 0 && query.stdout.trim() === HANDLER_DESKTOP_FILE;
  } catch (error) {
    if (isTwinboxError(error) && error.code === 'command-not-found') return false;
    throw error;
  }
}

/** Tried in order; lazily, so nothing is asked of the desktop once an opener has worked. */
async function* candidates(target: string, kind: 'url' | 'file', context: HostOpenerContext, skipped: string[]): AsyncGenerator<Candidate> {
  if (kind === 'url' && context.env.BROWSER) {
    for (const argv of browserEntries(context.env.BROWSER, target)) {
      if (isSelf(argv[0]!, context)) skipped.push(`$BROWSER entry ${argv[0]} is twinbox itself`);
      else yield { argv, label: `$BROWSER (${argv[0]})` };
    }
  }
  if (context.env[OPENING_ENV] === '1') skipped.push('xdg-open: it handed this address to twinbox already');
  else if (kind === 'url' && (await twinboxHandlesScheme(context, new URL(target).protocol.slice(0, -1)))) {
    skipped.push(`xdg-open: twinbox (${HANDLER_DESKTOP_FILE}) is the desktop's handler for this address`);
  } else yield { argv: ['xdg-open', target], label: 'xdg-open' };
  if (kind === 'url') {
    for (const browser of KNOWN_BROWSERS) {
      if (await context.runner.which(browser)) yield { argv: [browser, target], label: browser };
    }
  }
}

/**
 * Opens an address or a file with the host's usual opener: the user's $BROWSER (for addresses),
 * then xdg-open, then a browser found on PATH — skipping whatever would hand it back to twinbox.
 */
export async function openOnHost(target: string, kind: 'url' | 'file', context: HostOpenerContext): Promise<HostOpenResult> {
  const skipped: string[] = [];
  for await (const candidate of candidates(target, kind, context, skipped)) {
    try {
      const result = await context.runner.run(candidate.argv[0]!, candidate.argv.slice(1), { env: { [OPENING_ENV]: '1' } });
      if (result.exitCode === 0) return { via: candidate.label, skipped };
      skipped.push(`${candidate.label} failed (exit code ${result.exitCode}${result.stderr.trim() ? `: ${result.stderr.trim().split('\n')[0]}` : ''})`);
    } catch (error) {
      if (!isTwinboxError(error) || error.code !== 'command-not-found') throw error;
      skipped.push(`${candidate.label}: not installed`);
    }
  }
  throw new TwinboxError('no-host-opener', `nothing on this host could open ${kind === 'url' ? 'the address' : 'the file'} (${skipped.join('; ') || 'no opener found'})`, {
    hint: kind === 'url' ? 'install xdg-utils or a browser, or set BROWSER to your browser (not to twinbox)' : 'install xdg-utils (xdg-open) and a program for this kind of file',
  });
}
