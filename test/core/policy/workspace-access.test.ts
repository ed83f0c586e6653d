import test from 'ava';
import { workspaceAccess } from '../../../src/core/policy/workspace-access.js';

const access = { office: ['alice', '@finance'], locked: [] };

test('a workspace not listed in access.workspaces is open to everyone', (t) => {
  t.deepEqual(workspaceAccess(access, 'demo', 'bob', []), { allowed: true });
  t.deepEqual(workspaceAccess(access, 'constructor', 'bob', []), { allowed: true });
});

test('a listed workspace admits its users and the members of its groups only', (t) => {
  t.deepEqual(workspaceAccess(access, 'office', 'alice', []), { allowed: true });
  t.deepEqual(workspaceAccess(access, 'office', 'carol', ['staff', 'finance']), { allowed: true });
  t.like(workspaceAccess(access, 'office', 'bob', ['staff']), { allowed: false, reason: 'bob is not among the users allowed to use workspace "office" (alice, @finance)' });
  t.like(workspaceAccess(access, 'locked', 'alice', ['finance']), { allowed: false });
});
