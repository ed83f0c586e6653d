import { createInterface } from 'node:readline/promises';
import { TwinboxError } from '../plugin-api/index.js';
import { openCore } from '../core/open-core.js';
import {
  deleteWorkspaceSnapshot,
  listWorkspaceSnapshots,
  restoreWorkspaceSnapshot,
  snapshotWorkspace,
} from '../core/workspace/snapshot-workspace.js';
import { json, table } from './format.js';
import { seconds } from './stop.js';
import type { CommandContext } from './table.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

const ACTIONS = ['list', 'take', 'restore', 'delete'] as const;
type Action = (typeof ACTIONS)[number];

/** Restore and delete lose something for good: a person says yes, or a script passes --yes. */
async function confirmed(question: string, command: string, output: NodeJS.WritableStream): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new TwinboxError('confirmation-required', `${question.replace(/\?$/, '')} needs confirmation, but there is no terminal to ask on`, {
      hint: `run \`${command} --yes\` to confirm`,
      exit: 'usage',
    });
  }
  const terminal = createInterface({ input: process.stdin, output });
  try {
    return /^y(es)?$/i.test((await terminal.question(`${question} [y/N] `)).trim());
  } finally {
    terminal.close();
  }
}

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
      if (!values.yes && !(await confirmed(`Restore snapshot "${snapshot}" of ${workspace}? A running VM is shut down and everything since the snapshot is lost?`, `twinbox snapshot restore ${workspace} ${snapshot}`, out))) {
        out.write('restore cancelled; nothing was changed\n');
        return 1;
      }
      const result = await restoreWorkspaceSnapshot(core, workspace, snapshot!, { stopTimeoutMs: seconds(values.timeout, '--timeout') });
      out.write(values.json ? json(result) : `restored snapshot "${snapshot}" of ${workspace}; the VM is ${result.state} (start it with \`twinbox start ${workspace}\`)\n`);
      return 0;
    }
    case 'delete': {
      if (!values.yes && !(await confirmed(`Delete snapshot "${snapshot}" of ${workspace}?`, `twinbox snapshot delete ${workspace} ${snapshot}`, out))) {
        out.write('delete cancelled; nothing was changed\n');
        return 1;
      }
      const result = await deleteWorkspaceSnapshot(core, workspace, snapshot!);
      out.write(values.json ? json(result) : `deleted snapshot "${snapshot}" of ${workspace}\n`);
      return 0;
    }
  }
}
