import type { CommandDefinition } from '../command-context.js';

export const dashboard: CommandDefinition = {
  name: 'dashboard',
  summary: 'the admin dashboard: every workspace live, single-key actions (also plain `twinbox` on a terminal)',
  help: `Usage: twinbox dashboard [--read-only] [--refresh SECONDS] [--host NAME|ssh://…]

A full-screen terminal UI: the installed workspaces with their state and reason, guest-agent
health and round-trip time, published apps, setup status and resources, refreshed every 2 s
(every 5 s once nothing changes).
Single keys start, stop, force stop, suspend/resume, restart, reset, snapshot, set up and
uninstall the selected workspace (the destructive ones ask first), and open its details,
event log, setup progress, the plugins and doctor views; / filters, ? lists every key.
Actions are the CLI's own and respect locks: a workspace another process is changing shows
as busy. Quitting (q) leaves every workspace running. Plain \`twinbox\` opens it on a terminal
and prints \`twinbox status\` otherwise.

Options:
  --read-only        every key that acts on a workspace is off (views, filter and quit
                     stay): a dashboard to watch, as a help desk would
  --refresh SECONDS  read the list every SECONDS (0.5 to 3600; default 2)
  --host NAME        one other host's workspaces, streamed over SSH: a name of the
                     \`hosts\` setting or an ssh:// address (also TWINBOX_HOST); with
                     \`hosts\` set and no --host, this machine's and every host's in one list

Exit codes: 0 closed, 2 standard input or output is not a terminal, a bad option, or a
--host that names no host of the setting`,
  load: () => import('../dashboard.js'),
};
