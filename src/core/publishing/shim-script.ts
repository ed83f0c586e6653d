/** A word for POSIX sh in single quotes: nothing inside is special but the quote itself. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** How a shim starts twinbox: the Node.js binary and twinbox's entry script. */
export interface Launcher {
  node: string;
  script: string;
  /** The TWINBOX_HOME the shims were made for, when one was set. */
  home?: string;
}

export const SHIM_MARKER = '# made by `twinbox publish --shims`';

/**
 * A shim: runs the app in the guest with the caller's arguments, host paths under a shared
 * folder turned into the guest's. Every value is single-quoted: an app id or path cannot
 * reach the shell as code.
 */
export function shimScript(launcher: Launcher, workspace: string, appId: string): string {
  const home = launcher.home === undefined ? [] : [`TWINBOX_HOME=${shellQuote(launcher.home)}`, 'export TWINBOX_HOME'];
  return [
    '#!/bin/sh',
    SHIM_MARKER,
    `# runs an app of workspace ${workspace} in its guest; \`twinbox publish --shims --remove\` removes it`,
    ...home,
    `exec ${[launcher.node, launcher.script, 'run', '--quiet', '--map-paths', workspace, appId].map(shellQuote).join(' ')} -- "$@"`,
    '',
  ].join('\n');
}
