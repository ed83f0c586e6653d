import test from 'ava';
import type { PluginReport } from '../../../src/core/plugins/plugin-registry.js';
import type { WorkspaceStatus } from '../../../src/core/workspace/workspace-status.js';
import { agentCell, cpuCell, hypervisorCell, matchesFilter, memoryCell, setupCell, stateCell, summaryLine } from '../../../src/ui/dashboard/workspace-row.js';

function status(change: Partial<WorkspaceStatus> = {}): WorkspaceStatus {
  return { name: 'office', scope: 'user', version: '1.0.0', description: 'Office apps', hypervisor: 'qemu', state: 'running', reason: 'booted', setup: { state: 'ready', code: 0 }, apps: 2, ...change };
}

function report(name: string, change: Partial<PluginReport>): PluginReport {
  return { name, kind: 'hypervisor', displayName: name, version: '1', apiVersion: '1.0.0', status: 'loaded', reason: '', source: 'built-in', dir: '/x', ...change };
}

test('QEMU without KVM is labelled as slow software emulation, the fake as simulated', (t) => {
  const tcg = [report('qemu', { details: { accel: 'tcg (software emulation: slow)' } })];
  t.is(hypervisorCell(status(), tcg), 'qemu (software emulation: slow)');
  t.is(hypervisorCell(status(), [report('qemu', { details: { accel: 'kvm' } })]), 'qemu');
  t.is(hypervisorCell(status({ hypervisor: 'fake', simulated: true }), undefined), 'fake (simulated)');
  t.is(hypervisorCell(status({ hypervisor: undefined }), tcg), '-');
  t.regex(summaryLine({ status: status() }, tcg, undefined), /qemu: software emulation: slow/);
});

test('another process holding the lock shows as busy; this process\'s own action as what it does', (t) => {
  const other = status({ lockedBy: { pid: process.pid + 100_000, operation: 'setup', since: '2026-12-01T08:00:00Z' } });
  t.is(stateCell(other, undefined), 'busy: setup');
  t.regex(summaryLine({ status: other }, undefined, undefined), /busy: setup by process \d+ since 2026-12-01T08:00:00Z/);
  const mine = status({ lockedBy: { pid: process.pid, operation: 'start', since: '2026-12-01T08:00:00Z' } });
  t.is(stateCell(mine, { verb: 'starting' }), 'starting');
  t.regex(summaryLine({ status: mine }, undefined, { verb: 'starting', progress: 'waiting for the guest agent' }), /starting: waiting for the guest agent/);
});

test('the agent column shows the round trip of running workspaces only, and a failed ping', (t) => {
  t.is(agentCell({ status: status(), health: { ok: true, rttMs: 0.4 } }), 'ok <1 ms');
  t.is(agentCell({ status: status(), health: { ok: true, rttMs: 12.6 } }), 'ok 13 ms');
  t.is(agentCell({ status: status(), health: { ok: false, reason: 'no answer within 1500 ms' } }), 'no answer');
  t.is(agentCell({ status: status({ state: 'stopped' }) }), '-');
  t.regex(summaryLine({ status: status(), health: { ok: false, reason: 'no answer within 1500 ms' } }, undefined, undefined), /guest agent: no answer within 1500 ms/);
});

test('setup, resources and the filter read the status as the CLI does', (t) => {
  t.is(setupCell(status({ setup: { state: 'failed', code: 1042, step: 'apps' } })), 'failed 1042');
  t.is(setupCell(status({ setup: { state: 'running', interrupted: true } })), 'interrupted');
  t.is(cpuCell(status()), '-');
  t.is(memoryCell(status()), '-');
  t.is(cpuCell(status({ cpuPercent: 12.4 })), '12%');
  t.is(memoryCell(status({ memoryBytes: 512 * 1024 * 1024 })), '512M');
  t.is(memoryCell(status({ memoryBytes: 3 * 1024 ** 3 })), '3.0G');
  t.true(matchesFilter(status(), 'OFF'));
  t.true(matchesFilter(status(), 'apps'), 'the description matches too');
  t.false(matchesFilter(status(), 'lab'));
});
