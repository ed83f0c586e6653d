import { openCore } from '../core/open-core.js';
import {
  deleteWorkspaceSnapshot,
  listWorkspaceSnapshots,
  restoreWorkspaceSnapshot,
  snapshotWorkspace,
} from '../core/workspace/snapshot-workspace.js';
import type { CommandContext } from './command-context.js';
import { confirmed } from './confirm.js';
import { json, table } from './format.js';
import { seconds } from './lifecycle-args.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

const ACTIONS = ['list', 'take', 'restore', 'delete'] as const;
type Action = (typeof ACTIONS)[number];

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, timeout: { type: 'string' } },
  });
  const [action, workspace, snapshot, ...extra] = positionals;
  if (!action || !(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`say what to do: ${ACTIONS.join(', ')} (twinbox snapshot ACTION WORKSPACE [NAME])`);
  if (!workspace) throw new UsageError(`give the workspace: twinbox snapshot ${action} WORKSPACE${action === 'list' || action === 'take' ? '' : ' NAME'}`);
  if (extra.length > 0 || (action === 'list' && snapshot !== undefined)) throw new UsageError('too many arguments');
  if ((action === 'restore' || action === 'delete') && snapshot === undefined) throw new UsageError(`give the snapshot to ${action}: twinbox snapshot ${action} ${workspace} NAME`);
  const core = openCore({ env: context.env });
  const out = context.stdout;
  switch (action as Action) {
    case 'list': {
      const result = await listWorkspaceSnapshots(core, workspace);
      if (values.json) out.write(json(result.snapshots));
      else if (result.snapshots.length === 0) out.write(`${workspace} has no snapshots; take one with \`twinbox snapshot take ${workspace}\`\n`);
      else out.write(table(['NAME', 'TAKEN', 'SIZE'], result.snapshots.map((entry) => [entry.name, entry.createdAt ?? '-', entry.sizeBytes === undefined ? '-' : `${(entry.sizeBytes / 1024 / 1024).toFixed(1)} MiB`])));
      return 0;
    }
    case 'take': {
      const result = await snapshotWorkspace(core, workspace, snapshot);
      out.write(values.json ? json(result) : `took snapshot "${result.snapshot}" of ${workspace}\n`);
      return 0;
    }
    case 'restore': {
      const question = {
        question: `Restore snapshot "${snapshot}" of ${workspace}? A running VM is shut down and everything since the snapshot is lost.`,
        needs: `restoring snapshot "${snapshot}" of ${workspace}`,
        confirmWith: `twinbox snapshot restore ${workspace} ${snapshot} --yes`,
      };
      if (!values.yes && !(await confirmed(question, out))) {
        out.write('restore cancelled; nothing was changed\n');
        return 1;
      }
      const result = await restoreWorkspaceSnapshot(core, workspace, snapshot!, { stopTimeoutMs: seconds(values.timeout, '--timeout') });
      out.write(values.json ? json(result) : `restored snapshot "${snapshot}" of ${workspace}; the VM is ${result.state} (start it with \`twinbox start ${workspace}\`)\n`);
      return 0;
    }
    case 'delete': {
      const question = { question: `Delete snapshot "${snapshot}" of ${workspace}?`, needs: `deleting snapshot "${snapshot}" of ${workspace}`, confirmWith: `twinbox snapshot delete ${workspace} ${snapshot} --yes` };
      if (!values.yes && !(await confirmed(question, out))) {
        out.write('delete cancelled; nothing was changed\n');
        return 1;
      }
      const result = await deleteWorkspaceSnapshot(core, workspace, snapshot!);
      out.write(values.json ? json(result) : `deleted snapshot "${snapshot}" of ${workspace}\n`);
      return 0;
    }
  }
}
