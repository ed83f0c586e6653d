import type { CommandDefinition } from '../command-context.js';

export const plugins: CommandDefinition = {
  name: 'plugins',
  summary: 'list hypervisor and guest-agent plugins with their status',
  help: `Usage: twinbox plugins [--json]

Lists every plugin found (built-in, folders in the plugins.paths setting, npm packages named
twinbox-plugin-*) with its kind, version, plugin API version and status:
  loaded       imported and usable on this machine
  unavailable  imported, but its hypervisor is not usable here (the reason says why)
  broken       bad manifest, incompatible API, or it failed to import or start

Options:
  --json   print a JSON array instead of a table`,
  load: () => import('../plugins.js'),
};
