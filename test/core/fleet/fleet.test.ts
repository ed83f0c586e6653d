import test from 'ava';
import { chooseHost } from '../../../src/core/fleet/fleet.js';
import type { TwinboxError } from '../../../src/plugin-api/index.js';
import { remoteActionArgs } from '../../../src/ui/dashboard/remote-actions.js';
import type { WorkspaceActionId, WorkspaceRow } from '../../../src/ui/dashboard/workspace-row.js';

const hosts = { 'build-7': 'ssh://admin@build-7:2222', lab: 'ssh://lab-3' };

test('--host picks a name of the hosts setting, or an ssh:// address (named as the setting names it, else by its host)', (t) => {
  t.deepEqual(chooseHost('lab', hosts), { name: 'lab', address: 'ssh://lab-3' });
  t.deepEqual(chooseHost('ssh://lab-3', hosts), { name: 'lab', address: 'ssh://lab-3' });
  t.deepEqual(chooseHost('ssh://ops@10.0.0.9:22', hosts), { name: '10.0.0.9', address: 'ssh://ops@10.0.0.9:22' });
  const unknown = t.throws<TwinboxError>(() => chooseHost('nope', hosts))!;
  t.is(unknown.message, 'there is no host named "nope" in the hosts setting (it names build-7, lab)');
  t.is(unknown.exitCode, 2);
  t.regex(unknown.hint ?? '', /twinbox config set hosts '\{"nope":"ssh:\/\/user@host"\}'/);
  t.is(t.throws<TwinboxError>(() => chooseHost('ssh://-oProxyCommand=id', hosts))!.code, 'bad-host-address');
});

test("each action key is the host's own CLI command, with --yes only where the dashboard asked first", (t) => {
  const row = (state: string): WorkspaceRow => ({ host: 'lab', status: { name: 'office', state } as WorkspaceRow['status'] });
  const table: Array<[WorkspaceActionId, string, string[]]> = [
    ['start', 'stopped', ['start', 'office', '--json']],
    ['stop', 'running', ['stop', 'office', '--json']],
    ['force-stop', 'running', ['stop', 'office', '--force', '--json']],
    ['suspend-resume', 'running', ['suspend', 'office', '--json']],
    ['suspend-resume', 'suspended', ['resume', 'office', '--json']],
    ['restart', 'running', ['restart', 'office', '--json']],
    ['reset', 'running', ['reset', 'office', '--yes', '--json']],
    ['snapshot', 'running', ['snapshot', 'take', 'office', '--json']],
    ['setup', 'not-created', ['setup', 'office', '--json']],
    ['uninstall', 'stopped', ['uninstall', 'office', '--json']],
  ];
  for (const [action, state, argv] of table) t.deepEqual(remoteActionArgs(action, row(state)), argv, `${action} of a ${state} workspace`);
});
