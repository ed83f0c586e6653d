import { statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TwinboxError } from '../../plugin-api/index.js';

/** What `twinbox open` was given: a web address, another kind of URL, or a host file. */
export type OpenTarget =
  | { kind: 'web'; url: URL; text: string }
  | { kind: 'other-url'; scheme: string; text: string }
  | { kind: 'file'; path: string; extension: string };

const URL_LIKE = /^([A-Za-z][A-Za-z0-9+.-]*):/;

function badUrl(text: string, problem: string): TwinboxError {
  return new TwinboxError('bad-url', `${JSON.stringify(text)} is not a web address twinbox can open: ${problem}`, {
    hint: 'give a full address such as https://www.example.com/page, or the path of a file',
    exit: 'usage',
  });
}

function fileTarget(path: string, given: string): OpenTarget {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new TwinboxError('file-not-found', `no such file: ${given}`, { hint: 'give the path of an existing file, or a web address (https://…)', exit: 'usage' });
  }
  if (!isFile) throw new TwinboxError('not-a-file', `${given} is not a file`, { hint: 'twinbox open opens files and web addresses, not folders', exit: 'usage' });
  return { kind: 'file', path, extension: extname(basename(path)).slice(1).toLowerCase() };
}

/** Reads the argument of `twinbox open`; relative paths are taken from `cwd`. */
export function parseOpenTarget(text: string, cwd: string): OpenTarget {
  if (text === '') throw new TwinboxError('bad-url', 'nothing to open: the argument is empty', { hint: 'give a web address or a file', exit: 'usage' });
  const scheme = URL_LIKE.exec(text)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive (C:\…), not a URL.
  if (scheme === undefined || scheme.length === 1) return fileTarget(resolve(cwd, text), text);
  if (scheme === 'file') {
    let path: string;
    try {
      path = fileURLToPath(text);
    } catch (error) {
      throw badUrl(text, (error as Error).message);
    }
    return fileTarget(path, text);
  }
  if (scheme !== 'http' && scheme !== 'https') return { kind: 'other-url', scheme, text };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUrl(text, 'it does not parse as a URL');
  }
  if (url.hostname === '') throw badUrl(text, 'it names no host');
  return { kind: 'web', url, text };
}

/** A URL for event logs: its query may carry tokens, so only the origin and path are kept. */
export function loggableUrl(url: string | URL): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
