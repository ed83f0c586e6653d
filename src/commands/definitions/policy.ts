import type { CommandDefinition } from '../command-context.js';

export const policy: CommandDefinition = {
  name: 'policy',
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
  load: () => import('../policy.js'),
};
