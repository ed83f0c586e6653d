import type { CommandDefinition } from '../command-context.js';

export const setup: CommandDefinition = {
  name: 'setup',
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
  load: () => import('../setup.js'),
};
