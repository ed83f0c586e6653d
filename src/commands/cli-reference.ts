/** What twinbox says about itself beside its commands: global options, environment, exit codes. */

/** The options read before any command (and, but for --version, after it too). */
export const GLOBAL_OPTIONS: Array<[string, string]> = [
  ['--help, -h', 'show help (twinbox help <command> for one command)'],
  ['--version, -V', 'print the version (also: twinbox version)'],
  ['--debug', 'show stack traces of errors (before or after the command)'],
  ['--host ssh://HOST', 'run the command on that host over SSH ([user@]host[:port])'],
];

export const ENVIRONMENT: Array<[string, string]> = [
  ['TWINBOX_HOME', 'keep all state and settings in this folder (default: XDG folders)'],
  ['TWINBOX_BIN_DIR', 'where `publish --shims` puts app commands (default: ~/.local/bin)'],
  ['NO_COLOR', 'no colours in the full-screen views (plain output never has any)'],
  ['TWINBOX_HOST', 'run every command on this ssh:// host, as --host does'],
  ['TWINBOX_REMOTE_COMMAND', 'how a --host host starts twinbox (default: twinbox on its PATH)'],
  ['TWINBOX_SSH_CONFIG', 'an ssh_config for --host instead of ~/.ssh/config'],
];

export const EXIT_CODES: Array<[number, string]> = [
  [0, 'ok'],
  [1, 'failed'],
  [2, 'usage or bad input'],
  [3, 'verification failed'],
  [4, 'denied by policy or permission'],
  [5, 'timed out'],
  [75, 'busy (locked)'],
];
