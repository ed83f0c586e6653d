import type { CommandDefinition } from '../command-context.js';

export const config: CommandDefinition = {
  name: 'config',
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
  load: () => import('../config.js'),
};
