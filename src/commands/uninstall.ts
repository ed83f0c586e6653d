import { uninstallWorkspace } from '../core/package/uninstall.js';
import { openCore } from '../core/open-core.js';
import { uninstallSystemWorkspace } from '../core/system/uninstall-system.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { 'keep-user-data': { type: 'boolean' }, force: { type: 'boolean' }, system: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the name of the workspace to uninstall' : 'give exactly one workspace name');
  if (values.system && values['keep-user-data']) throw new UsageError('--keep-user-data applies to your own workspaces, not to --system');
  const core = openCore({ env: context.env });
  const result = values.system
    ? await uninstallSystemWorkspace(core, positionals[0]!)
    : await uninstallWorkspace(core, positionals[0]!, { keepUserData: values['keep-user-data'], force: values.force });
  if (values.json) {
    context.stdout.write(json(result));
    return 0;
  }
  context.stdout.write(
    [
      `uninstalled ${result.name} ${result.version}${values.system ? ' machine-wide' : ''}`,
      result.abandonedVm
        ? `  VM "${result.abandonedVm.id}" (${result.abandonedVm.hypervisor}) could not be removed through its hypervisor (${result.abandonedVm.problem}); its files were deleted`
        : result.removedVm
          ? `  removed VM "${result.removedVm.id}" (${result.removedVm.hypervisor}) with its disks`
          : '  no VM had been set up',
      ...result.removedStoreDirs.map((dir) => `  removed ${dir}`),
      result.workspaceDir.kept ? `  kept ${result.workspaceDir.path}` : `  removed ${result.workspaceDir.path}`,
      ...result.removedShims.map((path) => `  removed ${path}`),
      '',
    ].join('\n'),
  );
  return 0;
}
