/** One line per command: its module (imported only when it runs), summary and help text. */
export interface CommandModule {
  run(args: string[], context: CommandContext): Promise<number>;
}

export interface CommandContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface CommandEntry {
  summary: string;
  help: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  apps: {
    summary: 'list the apps a workspace publishes (or every workspace you may use)',
    help: `Usage: twinbox apps [WORKSPACE] [--refresh] [--json]

Lists the published apps of a workspace: id, name, kind (command: prints output; terminal:
interactive; gui: needs a display) and source (discovered in the guest, or declared in the
package's workspace.json). Without a name: the apps of every workspace you may use, yours
and the machine-wide ones, with the workspace and its scope (user or system). A name another
workspace also publishes is shown as "Name (workspace)". Nothing is published while the
publishing.enabled setting is off. Without --refresh it reads only: starts nothing, takes no
lock.

Options:
  --refresh   run app discovery in the running guest first: apps whose desktop file was
              removed or renamed there go, renamed apps keep their id; the change is logged
              (event 3200). Takes the workspace's lock for the refresh (exit 75 when busy)
  --json      print [{id, name, guestName, kind, source, path, categories}] (with workspace
              and scope without a name)

Exit codes: 0 ok, 2 no such workspace, 4 denied by machine policy (access.workspaces),
75 busy (--refresh)`,
    load: () => import('./apps.js'),
  },
  menu: {
    summary: 'the app menu for end users: pick a published app and run it (fits an SSH forced command)',
    help: `Usage: twinbox menu [--list] [--json]

A full-screen menu of the published apps of every workspace you may use (the access.workspaces
setting), grouped by workspace and category, most used first. Type to filter (fuzzy: the
letters in order); Enter launches, starting or resuming the workspace first when needed.
Command apps show their output; terminal apps take over the terminal until they end
(Ctrl-] leaves them); graphical apps need a display this terminal does not have.

Keys: type to filter, Backspace erase, Ctrl-U clear, Up/Down, PgUp/PgDn, Home/End move,
Enter launch, q (empty filter), Esc, Ctrl-C, Ctrl-D leave (exit 0).

Safe as an SSH forced command (command="twinbox menu" in authorized_keys) or login shell:
no key opens a shell or an admin action, SSH_ORIGINAL_COMMAND is ignored, and leaving or a
dropped connection never stops a workspace.

Options:
  --list   print the same list as plain text for scripts (no terminal needed)
  --json   print it as JSON: [{workspace, category, group, id, name, kind, uses, helpUrl}]

Exit codes: 0 left normally, 2 not on a terminal (use --list) or bad arguments`,
    load: () => import('./menu.js'),
  },
  run: {
    summary: 'run a published app in the guest (starting the workspace if needed)',
    help: `Usage: twinbox run WORKSPACE APP [--quiet] [--map-paths] [-- ARGS...]

Runs a published app (by id or name) in the workspace's guest, starting, resuming or first
setting up the workspace when needed. ARGS after -- are passed to the app.
  command apps   their output is printed when they end; twinbox exits with their exit code
  terminal apps  take over this terminal interactively on a console port of the VM: keys,
                 Ctrl-C and window resizes reach the app; Ctrl-] leaves the session
                 (the app is hung up); twinbox exits with the app's exit code
  GUI apps       are started in the guest and left running on the VM's screen (a package
                 with vm.display "console"), or as their own window through RDP RemoteApp
                 where the guest offers RDP; twinbox prints where. Refused without
                 a display here (no DISPLAY or WAYLAND_DISPLAY, as over SSH)

Options:
  --quiet, -q   no progress lines on stderr
  --map-paths   ARGS naming host paths under one of the package's shared folders (absolute,
                or relative and existing) are passed as the guest's paths`,
    load: () => import('./run.js'),
  },
  open: {
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
    load: () => import('./open.js'),
  },
  publish: {
    summary: "put each published app on the host: a command in ~/.local/bin and a menu entry",
    help: `Usage: twinbox publish --shims [--bin-dir DIR] [--applications-dir DIR] [--json]
       twinbox publish --shims --remove [--json]

Makes, for every app published by the workspaces you may use, a command WORKSPACE-APP in
~/.local/bin (TWINBOX_BIN_DIR or --bin-dir overrides it) that runs \`twinbox run WORKSPACE
APP -- ARGS\`, host paths in ARGS under one of the package's shared folders handed over as the
guest's paths; and, for terminal and GUI apps, a .desktop entry in
$XDG_DATA_HOME/applications (~/.local/share/applications) for desktop menus. Running it again
brings them in line with the apps now published: new apps get theirs, renamed ones are
rewritten, removed ones (and those of uninstalled workspaces) go. twinbox records the files it
made (<data>/host-integration.json) and only ever changes or removes those, and none that was
edited since; a file of the same name it did not make is left alone and reported.

Options:
  --shims                  the commands and menu entries (the one kind of host integration)
  --remove                 remove every file twinbox made this way and turn it off
  --bin-dir DIR            where the commands go (default ~/.local/bin, or TWINBOX_BIN_DIR)
  --applications-dir DIR   where the menu entries go (default $XDG_DATA_HOME/applications)
  --json                   print {binDir, applicationsDir, created, updated, removed, unchanged, skipped}

Exit codes: 0 done, 2 bad arguments, 75 another twinbox is changing them`,
    load: () => import('./publish.js'),
  },
  demo: {
    summary: 'install and set up a demo workspace on QEMU (or the fake hypervisor) and open the dashboard',
    help: `Usage: twinbox demo [--qemu | --fake] [--no-ui] [--remove] [--json]

Packs, installs and sets up a workspace named "demo" on the best hypervisor here — QEMU with
the tiny real guest when QEMU is installed and the guest is built (scripts/build-tiny-guest.sh),
otherwise the built-in fake hypervisor, clearly labelled as simulated — starts it, waits for
its guest agent, lists its published apps (a command app and a terminal app) and runs the
command app in the guest. On a terminal it then opens the dashboard; the workspace keeps
running when the dashboard closes. A second run reuses the workspace.

Options:
  --qemu     insist on QEMU (exit 1 with the reason when it cannot be used)
  --fake     use the fake (simulated) hypervisor
  --no-ui    exit once the workspace is ready instead of opening the dashboard (for scripts;
             without a terminal, and with --json, the demo never opens it)
  --remove   uninstall the demo workspace with its VM
  --json     print the result as JSON`,
    load: () => import('./demo.js'),
  },
  dashboard: {
    summary: 'the admin dashboard: every workspace live, single-key actions (also plain `twinbox` on a terminal)',
    help: `Usage: twinbox dashboard [--read-only] [--refresh SECONDS]

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

Exit codes: 0 closed, 2 standard input or output is not a terminal, or a bad option`,
    load: () => import('./dashboard.js'),
  },
  plugins: {
    summary: 'list hypervisor and guest-agent plugins with their status',
    help: `Usage: twinbox plugins [--json]

Lists every plugin found (built-in, folders in the plugins.paths setting, npm packages named
twinbox-plugin-*) with its kind, version, plugin API version and status:
  loaded       imported and usable on this machine
  unavailable  imported, but its hypervisor is not usable here (the reason says why)
  broken       bad manifest, incompatible API, or it failed to import or start

Options:
  --json   print a JSON array instead of a table`,
    load: () => import('./plugins.js'),
  },
  doctor: {
    summary: 'check what this machine offers (QEMU, KVM, VirtualBox, Hyper-V) and how to fix what is missing',
    help: `Usage: twinbox doctor [--json]

Checks each hypervisor tool and acceleration, the state folders and the plugins, and says for
each what is missing and how to fix it. Exit code 0 when a real hypervisor is usable, 1 when
only the fake (simulated) one is.

Options:
  --json   print the checks as JSON`,
    load: () => import('./doctor.js'),
  },
  config: {
    summary: 'get, set, unset or list your settings (machine policy may lock some)',
    help: `Usage: twinbox config get KEY [--json]
       twinbox config set KEY VALUE [--json]
       twinbox config unset KEY [--json]
       twinbox config list [--json]

Your settings live in <config>/settings.json. VALUE is taken as typed for text settings
(log.level debug) and as JSON for the others (setup.maxRetries 5, publishing.enabled false,
plugins.paths '["/opt/twinbox-plugins"]'). A value of the wrong type is refused (exit 2)
with the type expected. A key set by machine policy is locked: set and unset exit 4 naming
the policy file. \`twinbox policy\` shows where every value comes from.

Options:
  --json   print the setting (value, source, locked, description) as JSON

Exit codes: 0 ok, 2 unknown key or bad value, 4 locked or refused by machine policy`,
    load: () => import('./config.js'),
  },
  policy: {
    summary: 'show every effective setting with its source, and problems with policy files',
    help: `Usage: twinbox policy [--workspace NAME] [--json]

Settings come in layers, each overriding the ones before: built-in defaults, the package of a
workspace (with --workspace), your settings (twinbox config), then machine policy:
/etc/twinbox/policy.json and /etc/twinbox/policy.d/*.json in name order, later files
overriding earlier ones (TWINBOX_POLICY_DIR replaces /etc/twinbox). Each value is shown with
its source: default, package, user or policy:<file>.

A policy file that is not valid JSON, not an object, or holds a value of the wrong type is
reported here and in the event log; its last good version stays in force. Without one, the
settings it may set are refused (commands that need them exit 4) until it is fixed.

Options:
  --workspace, -w NAME   include the package defaults of this installed workspace
  --json                 print {policyDir, workspace, settings, files, problems} as JSON`,
    load: () => import('./policy.js'),
  },
  pack: {
    summary: 'pack a workspace folder (workspace.json, disk image, scripts) into a .twbx package',
    help: `Usage: twinbox pack DIR --out FILE [--sign KEYFILE] [--gzip] [--json]

Packs DIR/workspace.json, the disk image it names (image.file) and its setup scripts into one
package: a tar archive holding workspace.json, SHA256SUMS, an optional ed25519 SIGNATURE, the
image and the scripts. image.sha256 may be omitted or "auto" in DIR: pack computes it. The
image is streamed, never loaded whole. Writes FILE.partial and renames it when complete; on an
error or Ctrl-C the partial file is removed. Progress goes to stderr.

Options:
  --out, -o FILE   the package to write (conventionally NAME-VERSION.twbx)
  --sign KEYFILE   sign with this ed25519 private key (from twinbox keygen)
  --gzip           compress the package (install detects it either way)
  --json           print the result as JSON

Exit codes: 0 packed, 2 bad arguments or missing files, 3 workspace.json invalid or the
image does not match image.sha256/image.format, 130 interrupted`,
    load: () => import('./pack.js'),
  },
  keygen: {
    summary: 'make an ed25519 key pair for signing packages',
    help: `Usage: twinbox keygen --out KEYFILE [--json]

Writes the private key to KEYFILE (PEM, mode 0600) and the public key to KEYFILE.pub. Sign
packages with \`twinbox pack --sign KEYFILE\`; trust them on hosts by listing the public key
(its PEM text or its path) in the security.trustedKeys setting. Never overwrites a key (exit 2).`,
    load: () => import('./keygen.js'),
  },
  install: {
    summary: 'verify and install a .twbx workspace package (unattended, for software distribution)',
    help: `Usage: twinbox install FILE [--unattended] [--overwrite] [--system] [--json]

Verifies the whole package before it changes anything: archive structure, workspace.json,
SHA256SUMS (computed while the image streams into a staging folder), the signature (required
when security.requireSignature is set; checked against security.trustedKeys when any are set),
free disk space, the guest-agent plugin and a usable hypervisor among those the package
allows. Then it moves the package into the store and registers the workspace with first-time
setup pending. A failure, Ctrl-C or kill leaves nothing behind.

The same version again is refused unless --overwrite (its VM is removed: guest data is lost).
A newer version is an upgrade: it is installed beside the old one, whose VM stays in use until
the new version has set up; a warning says which guest data will then be replaced. An older
version is refused.

Options:
  --unattended   never ask (software distribution); plain progress lines
  --overwrite    install the same version again
  --system       install machine-wide (TWINBOX_SYSTEM_DIR, default /var/lib/twinbox) for
                 every user; each user's own VM is set up on their first start. Root or
                 members of the folder's group (twinbox) only; root creates both on first use
  --json         print the result as JSON

Exit codes: 0 installed, 1 cannot install here (disk full, plugin or hypervisor missing),
2 bad arguments, no such file, already installed or older than installed, 3 package failed
verification (archive, manifest, sums, signature), 4 --system by a non-admin, 75 the
workspace is busy, 130 interrupted`,
    load: () => import('./install.js'),
  },
  uninstall: {
    summary: 'remove an installed workspace: its VM, its package and its folder',
    help: `Usage: twinbox uninstall NAME [--keep-user-data] [--force] [--system] [--json]

Takes the workspace's lock, removes its VM through its hypervisor plugin (with its disks),
deletes the installed package from the store, the workspace folder and the registry entry.
A machine-wide workspace is removed with --system, by an admin: every version of its package
leaves the system store (users' VMs on it stop working; each user's \`twinbox uninstall NAME\`
then removes their own VM and state).

Options:
  --keep-user-data   keep the workspace folder (event log, setup journal, your files)
  --force            remove it even when its VM cannot be removed through its hypervisor
                     (a damaged VM record): the VM's files go with the folder
  --system           remove the machine-wide workspace NAME (root or group twinbox)
  --json             print the result as JSON

Exit codes: 0 removed, 2 no such workspace, 4 a machine-wide workspace and you are not an
admin, 75 the workspace is busy`,
    load: () => import('./uninstall.js'),
  },
  setup: {
    summary: 'run first-time setup of an installed workspace (resumes an interrupted one)',
    help: `Usage: twinbox setup NAME [--mode attended|unattended|silent] [--json]

Creates the workspace's VM from the installed base image, starts it, waits for its guest
agent, names the guest from the package's computer-name mask, copies the host's time zone and
locale, creates the configured user, runs the package's setup scripts in order and publishes
the guest's apps. Every step is journaled: after a crash or kill, running setup again resumes
where it stopped and repeats nothing that was done. A failing step is retried up to
setup.maxRetries times, each time with setup.retryTimeoutIncrementMinutes more time; after the
last failure the workspace is marked failed (see \`twinbox status\`) and \`twinbox reset NAME\`
starts again from the base image.

Options:
  --mode M   override the package's setup mode: attended (every step, output of the setup
             scripts, questions on the terminal), unattended (progress only) or silent
             (nothing at all: the exit code tells)
  --json     print the progress events as JSON lines, then a {"type":"result"} line`,
    load: () => import('./setup.js'),
  },
  status: {
    summary: 'show the installed workspaces: state, setup, apps and who is changing them',
    help: `Usage: twinbox status [NAME] [--json]
       twinbox status [NAME] --json --watch [--interval S]

Shows each installed workspace (or one), yours (scope user) and the machine-wide ones (scope
system; one hidden by your own of the same name is listed as such), except those machine
policy (access.workspaces) denies you: version, hypervisor, the VM's state as the hypervisor
reports it now with the reason, first-time setup (state, failing step and event code), the
number of published apps and the process changing it, if any. Never waits for a lock.

Options:
  --json         print the status as JSON (an array, or one object with NAME), with the last
                 setup's status record (user, host, status code 0 or the failing event, UTC time)
  --watch        with --json, keep watching: one line {"type":"workspace","workspace":{...}}
                 per workspace, then {"type":"synced","at":TIME}, then a line for each
                 workspace that changes or appears, {"type":"removed","name","scope"} for one
                 that goes; until Ctrl-C, SIGTERM, SIGHUP or a closed pipe (exit 0)
  --interval S   how often --watch reads (0.2 to 3600 s, default 2)`,
    load: () => import('./status.js'),
  },
  start: {
    summary: 'start a workspace (running first-time setup first if it never ran)',
    help: `Usage: twinbox start NAME [--timeout S] [--mode M] [--json]

Starts or resumes the workspace's VM and waits until its guest agent answers. A workspace that
was never set up is set up first (as MED-V did at first use); one whose setup failed is
refused with the way out.

Options:
  --timeout S   how long to wait for the guest (default 300 s); exit 5 when it does not answer
  --mode M      setup mode, if setup has to run (attended, unattended, silent)
  --json        print the result as JSON`,
    load: () => import('./start.js'),
  },
  stop: {
    summary: 'shut a workspace down (gracefully, then forced)',
    help: `Usage: twinbox stop NAME [--force] [--timeout S] [--json]

Asks the guest to shut down and powers the VM off if it has not within the time limit.

Options:
  --force       power off at once
  --timeout S   how long the graceful shutdown may take (default 60 s)
  --json        print the result as JSON`,
    load: () => import('./stop.js'),
  },
  suspend: {
    summary: "save a workspace's memory to disk and stop it",
    help: `Usage: twinbox suspend NAME [--json]

Saves the VM's memory to disk and stops it; \`twinbox resume\` or \`twinbox start\` continues it.`,
    load: () => import('./suspend.js'),
  },
  resume: {
    summary: 'continue a suspended or paused workspace',
    help: `Usage: twinbox resume NAME [--timeout S] [--json]

Restores a suspended (or paused) VM and waits until its guest agent answers.

Options:
  --timeout S   how long to wait for the guest (default 300 s)
  --json        print the result as JSON`,
    load: () => import('./resume.js'),
  },
  restart: {
    summary: 'reboot a workspace',
    help: `Usage: twinbox restart NAME [--force] [--timeout S] [--json]

Shuts the VM down (gracefully, forced after the time limit), starts it again and waits until
its guest agent answers.

Options:
  --force       power off at once instead of a graceful shutdown
  --timeout S   time limit for the shutdown and for the guest to answer again
  --json        print the result as JSON`,
    load: () => import('./restart.js'),
  },
  reset: {
    summary: 'delete a workspace VM and set it up again from the base image',
    help: `Usage: twinbox reset NAME [--yes] [--mode M] [--json]

Deletes the workspace's VM with everything in it and runs first-time setup again from the
installed base image: the way out of a failed setup. Asks for confirmation on a terminal;
without one it needs --yes (exit 2 otherwise). On a machine-wide workspace only an admin may
reset (exit 4 otherwise).

Options:
  --yes, -y   confirm without asking
  --mode M    setup mode (attended, unattended, silent)
  --json      print setup's progress as JSON lines, then a {"type":"result"} line`,
    load: () => import('./reset.js'),
  },
  snapshot: {
    summary: 'list, take, restore or delete snapshots of a workspace VM',
    help: `Usage: twinbox snapshot list WORKSPACE [--json]
       twinbox snapshot take WORKSPACE [NAME] [--json]
       twinbox snapshot restore WORKSPACE NAME [--yes] [--timeout S] [--json]
       twinbox snapshot delete WORKSPACE NAME [--yes] [--json]

Snapshots of the workspace's VM, on hypervisors that have them (QEMU, VirtualBox, Hyper-V,
the fake). take names the snapshot by the time (snap-YYYYMMDD-HHMMSS) unless NAME is given
(up to 64 letters, digits, ".", "_" or "-"). restore shuts a running or paused VM down first
(gracefully, then forced after --timeout, default 60 s), restores the snapshot and leaves the
VM stopped; a snapshot that does not exist changes nothing. restore and delete ask on a
terminal; without one they need --yes (exit 2 otherwise). take, restore and delete hold the
workspace's lock (exit 75 while another twinbox holds it); each is in the event log.

Options:
  --yes, -y     confirm restore or delete without asking
  --timeout S   how long restore's graceful shutdown may take before it is forced
  --json        list: [{name, createdAt, sizeBytes}]; take: {workspace, snapshot};
                restore: {workspace, snapshot, was, state}; delete: {workspace, snapshot, left}

Exit codes: 0 done, 1 cancelled at the question, 2 bad arguments, no such workspace or
snapshot, no snapshots on this hypervisor, no terminal to confirm on, 75 busy`,
    load: () => import('./snapshot.js'),
  },
  agent: {
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
    load: () => import('./agent.js'),
  },
  metrics: {
    summary: 'write Prometheus metrics of every workspace (node_exporter textfile format)',
    help: `Usage: twinbox metrics --prom FILE
       twinbox metrics --prom -

Writes every workspace's metrics in the Prometheus text format for node_exporter's textfile
collector: state (one-hot by state label), setup state, status code and time, the host
agent's last guest-agent check (up, round-trip time), published apps, running app sessions
and app launches. FILE is written atomically (a temporary file renamed over it) and readable
by all; - prints to standard output. Reads only: takes no lock.`,
    load: () => import('./metrics.js'),
  },
  logs: {
    summary: "show a workspace's event log",
    help: `Usage: twinbox logs NAME [--lines N] [--follow] [--json]

Prints the workspace's events: time, level, event code, category and message (setup steps,
setup script output, VM state changes, guest agent). The level written is the log.level
setting (error, warn, info, debug).

Options:
  --lines N, -n N   how many of the last events to print (default 50)
  --follow, -f      keep printing new events until Ctrl-C
  --json            print each event as a JSON line`,
    load: () => import('./logs.js'),
  },
  completion: {
    summary: 'print a shell completion script for bash, zsh or fish',
    help: `Usage: twinbox completion bash|zsh|fish

Prints a script that completes twinbox's commands, each command's options, and the names of
installed workspaces (yours and the machine-wide ones) and of their published apps. The names
come from twinbox when Tab is pressed: it reads the registries and app catalogs only, starts
no VM and takes no lock. Commands and options are those of the twinbox that printed the script.

  bash   source <(twinbox completion bash)     in ~/.bashrc
  zsh    source <(twinbox completion zsh)      in ~/.zshrc, after compinit
  fish   twinbox completion fish > ~/.config/fish/completions/twinbox.fish

Exit codes: 0 printed, 2 no shell or one twinbox has no script for`,
    load: () => import('./completion.js'),
  },
};

/** Other names for commands: `twinbox ls` is `twinbox status`, `twinbox version` is `twinbox --version`. */
export const ALIASES: Record<string, string> = { ls: 'status', version: '--version' };

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

/** How `twinbox --help` groups the commands: the admin's journey first, then the tools. */
const HELP_GROUPS: Array<[string, string[]]> = [
  ['Try it', ['demo', 'dashboard']],
  ['Packages', ['pack', 'keygen', 'install', 'uninstall']],
  ['Workspaces', ['setup', 'status', 'start', 'stop', 'suspend', 'resume', 'restart', 'reset', 'snapshot', 'logs']],
  ['Published apps', ['menu', 'apps', 'run', 'open', 'publish']],
  ['Host agent and monitoring', ['agent', 'metrics']],
  ['Settings and this machine', ['config', 'policy', 'plugins', 'doctor', 'completion']],
];

/** The commands in their `--help` groups; commands in no group come last, under "Other". */
export function helpGroups(): Array<[string, string[]]> {
  const grouped = new Set(HELP_GROUPS.flatMap(([, names]) => names));
  const groups: Array<[string, string[]]> = [...HELP_GROUPS, ['Other', Object.keys(COMMANDS).filter((name) => !grouped.has(name))]];
  return groups.map(([title, names]): [string, string[]] => [title, names.filter((name) => COMMANDS[name])]).filter(([, names]) => names.length > 0);
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = helpGroups().flatMap(([title, names]) => [`  ${title}:`, ...names.map((name) => `    ${name.padEnd(width)}  ${COMMANDS[name]!.summary}`)]);
  return `twinbox: run a second operating system beside the host and use its applications from a terminal.

Usage: twinbox <command> [options]
       twinbox            the dashboard on a terminal, else the status table

Commands:
${lines.join('\n')}

Options:
${pairs(GLOBAL_OPTIONS)}

Aliases: ${Object.entries(ALIASES).map(([alias, name]) => `${alias} = ${name}`).join(', ')}

Environment:
${pairs(ENVIRONMENT)}

twinbox URL is twinbox open URL (for BROWSER=twinbox).

Exit codes: ${exitCodes()}
`;
}

function pairs(rows: Array<[string, string]>): string {
  const width = Math.max(15, ...rows.map(([name]) => name.length));
  return rows.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`).join('\n');
}

/** "0 ok, 1 failed, ...", wrapped below 92 columns as `--help` prints it. */
export function exitCodes(): string {
  const lines: string[] = [];
  let line = '';
  for (const [code, meaning] of EXIT_CODES) {
    const item = `${code} ${meaning}`;
    if (line && `Exit codes: ${line}, ${item},`.length > 76) {
      lines.push(`${line},`);
      line = item;
    } else {
      line = line ? `${line}, ${item}` : item;
    }
  }
  lines.push(line);
  return lines.join('\n            ');
}
