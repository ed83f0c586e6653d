import type { CommandDefinition } from '../command-context.js';

export const open: CommandDefinition = {
  name: 'open',
  summary: 'open a web address or file where it works: in a workspace (redirection rules) or on the host',
  help: `Usage: twinbox open [--explain] [--quiet] [--json] URL|FILE

Opens a web address in the guest's browser of the workspace whose redirection rules match it
(the redirection.urls setting: MED-V's syntax, one http:// or https:// address per rule, *
a wildcard), starting the workspace if needed; a file whose extension a workspace's package
maps to an app (redirection.fileTypes) opens in that app, through one of the package's
shared folders. Everything else goes to the host's usual opener ($BROWSER, xdg-open, a
browser on PATH), never back to twinbox. Usable as $BROWSER and as the desktop's http(s)
handler (share/applications/twinbox-open.desktop).

Rules: a host without * is exact, *.example.com any subdomain; no path is the whole site; a
path is a folder (itself and everything below), a path with * a pattern (a trailing /* also
the folder itself). The scheme and port must match. The most specific matching rule wins;
between workspaces with equally specific rules, the first by name.

Options:
  --explain     say which rule matched and why, and where it would open; opens nothing
  --quiet, -q   no progress lines on stderr
  --json        print the decision (with --explain: every rule considered) as JSON

Exit codes: 0 opened (a file's command app: its exit code), 1 could not open, 2 bad
address, no such file, or a file outside the shared folders, 4 policy unreadable`,
  load: () => import('../open.js'),
};
