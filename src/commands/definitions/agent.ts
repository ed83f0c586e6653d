import type { CommandDefinition } from '../command-context.js';

export const agent: CommandDefinition = {
  name: 'agent',
  summary: 'the host agent: starts, parks and watches workspaces, refreshes app catalogs; --install-unit writes its systemd unit',
  help: `Usage: twinbox agent [--once [--json]] [--metrics FILE]
       twinbox agent --install-unit [--system] [--metrics FILE] [--json]
       twinbox agent --remove-unit [--system] [--json]

Runs in the foreground until SIGTERM or Ctrl-C (the systemd user unit that --install-unit
writes runs it at logon), one per user. It starts the workspaces whose workspace.startup is
at-logon; once a workspace's last app has exited and workspace.idleMinutes have passed it
applies workspace.closeAction (suspend, shutdown, power-off); it pings each running workspace's guest agent every round, logging when it stops
and starts answering; it refreshes each running workspace's app catalog when its guest agent
connects and every publishing.refreshSeconds. A workspace another twinbox process holds is left
alone for the round. Ending the agent leaves every workspace as it is; everything works without
it (twinbox start and run start workspaces on demand).

Options:
  --once          do one round, then exit (scripts, tests)
  --json          with --once: print what the round did as JSON
  --metrics FILE  write the Prometheus metrics (see twinbox metrics) to FILE after every round
  --install-unit  write the systemd user unit for this installation
                  ($XDG_CONFIG_HOME/systemd/user/twinbox-agent.service: the absolute paths of
                  node and of this twinbox, TWINBOX_HOME and TWINBOX_POLICY_DIR as set now) and
                  run systemctl --user daemon-reload; unchanged when it already says that
  --remove-unit   disable, stop and remove the unit --install-unit wrote (never another file)
  --system        with either: the template unit /etc/systemd/system/twinbox-agent@.service
                  (systemctl enable --now twinbox-agent@USER), root only

Exit codes: 0 ended cleanly (or the unit was written or removed), 1 no systemd here (no
systemctl, or no user manager reachable: nothing is written) or a unit twinbox did not write
is in the way, 2 bad options, 4 --system without being root, 75 another agent is running for
this user`,
  load: () => import('../agent.js'),
};
