import { TarError } from './tar-error.js';

/**
 * Refuses member names that could write outside the folder they are unpacked into, or that
 * name the same file two ways: absolute paths (POSIX or Windows), `..`, backslashes (a
 * separator on Windows hosts) and `.` or empty components.
 */
export function checkEntryPath(path: string): void {
  if (path === '') throw new TarError('bad-path', 'a member has an empty name');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    throw new TarError('absolute-path', `member "${path}" has an absolute path`);
  }
  if (path.includes('\\')) throw new TarError('bad-path', `member "${path}" contains a backslash`);
  const parts = path.split('/');
  if (parts.includes('..')) throw new TarError('traversal', `member "${path}" leaves the package (path traversal through "..")`);
  if (parts.some((part) => part === '' || part === '.')) {
    throw new TarError('bad-path', `member "${path}" is not a plain relative path (empty or "." component)`);
  }
}
