import { PassThrough } from 'node:stream';
import test from 'ava';
import { HostAgent } from '../../../src/core/agent/host-agent.js';
import { readHealthRecord } from '../../../src/core/agent/health-record.js';
import { runApp } from '../../../src/core/apps/run-app.js';
import { metricsText } from '../../../src/core/metrics/write-metrics.js';
import { renderExposition } from '../../../src/core/metrics/exposition.js';
import { readStatusRecord } from '../../../src/core/setup/status-record.js';
import { openWorkspace } from '../../../src/core/workspace/open-workspace.js';
import { startWorkspace } from '../../../src/core/workspace/start-workspace.js';
import { parseExposition, sampleValue } from '../../helpers/prometheus-text.js';
import { ManualClock } from '../setup/helpers/manual-clock.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';

test('label values and help text are escaped as the exposition format requires, and bad names are refused', (t) => {
  const text = renderExposition([{ name: 'x_info', type: 'gauge', help: 'a \\ help\nline', samples: [{ labels: { workspace: 'a"b\\c\nd' }, value: 1 }, { labels: {}, value: Infinity }] }]);
  t.is(text, '# HELP x_info a \\\\ help\\nline\n# TYPE x_info gauge\nx_info{workspace="a\\"b\\\\c\\nd"} 1\nx_info +Inf\n');
  const parsed = parseExposition(text);
  t.deepEqual(parsed.get('x_info')!.samples[0]!.labels, { workspace: 'a"b\\c\nd' });
  t.is(parsed.get('x_info')!.help, 'a \\ help\nline');
  t.throws(() => renderExposition([{ name: 'bad-name', type: 'gauge', help: '', samples: [] }]), { message: /not a metric name/ });
  t.throws(() => renderExposition([{ name: 'ok', type: 'gauge', help: '', samples: [{ labels: { 'bad-label': 'x' }, value: 1 }] }]), { message: /not a label name/ });
});

test('the metrics give each workspace its state one-hot, setup code and time, the guest agent round trip and app launches', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office' });
  await h.install({ name: 'legacy' });
  const core = h.core();
  await startWorkspace(core, 'office');
  // Keep it running after the apps exit, for the health check.
  core.settings.set('workspace.idleMinutes', 60);
  const io = () => ({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() });
  await runApp(core, 'office', 'hello', io());
  await runApp(core, 'office', 'hello', io());
  await new HostAgent(core, { clock: new ManualClock() }).round();

  const families = parseExposition(await metricsText(core));
  for (const [name, family] of families) {
    t.truthy(family.help, `${name} has HELP`);
    t.true(family.type === 'gauge' || family.type === 'counter', `${name} has TYPE`);
  }
  t.is(families.get('twinbox_app_launches_total')!.type, 'counter');

  const office = { workspace: 'office' };
  const states = families.get('twinbox_workspace_state')!.samples.filter((sample) => sample.labels.workspace === 'office');
  t.is(states.length, 11, 'one series per state');
  t.deepEqual(states.filter((sample) => sample.value === 1).map((sample) => sample.labels.state), ['running']);
  t.is(sampleValue(families, 'twinbox_workspace_state', { workspace: 'legacy', state: 'not-created' }), 1);
  t.is(sampleValue(families, 'twinbox_workspace_setup_state', { workspace: 'legacy', state: 'pending' }), 1);
  t.is(sampleValue(families, 'twinbox_workspace_setup_status_code', { workspace: 'legacy' }), undefined, 'no setup has ended yet');

  const ws = openWorkspace(core, 'office');
  const record = (await readStatusRecord(ws.layout))!;
  t.is(sampleValue(families, 'twinbox_workspace_setup_status_code', office), 0);
  t.is(sampleValue(families, 'twinbox_workspace_last_setup_timestamp_seconds', office), Date.parse(record.time) / 1000);
  const health = (await readHealthRecord(ws.layout))!;
  t.is(sampleValue(families, 'twinbox_guest_agent_up', office), 1);
  t.is(sampleValue(families, 'twinbox_guest_agent_round_trip_seconds', office), health.roundTripMs! / 1000);
  t.is(sampleValue(families, 'twinbox_guest_agent_last_check_timestamp_seconds', office), Date.parse(health.checkedAt) / 1000);
  t.is(sampleValue(families, 'twinbox_app_launches_total', { workspace: 'office', app: 'hello' }), 2);
  t.is(sampleValue(families, 'twinbox_workspace_app_sessions', office), 0);
  t.is(sampleValue(families, 'twinbox_workspace_published_apps', office), 3);
  t.is(sampleValue(families, 'twinbox_workspace_info', { workspace: 'office', version: '1.0.0', hypervisor: 'fake' }), 1);
  t.is(sampleValue(families, 'twinbox_guest_agent_up', { workspace: 'legacy' }), undefined, 'never checked');
  // The fake's simulated guest is a real process: its CPU time and resident memory are real.
  t.is(families.get('twinbox_vm_cpu_seconds_total')!.type, 'counter');
  const cpu = sampleValue(families, 'twinbox_vm_cpu_seconds_total', office)!;
  const memory = sampleValue(families, 'twinbox_vm_memory_bytes', office)!;
  t.true(cpu > 0 && cpu < 600, `CPU ${cpu} s`);
  t.true(memory > 10 * 2 ** 20 && memory < 2 ** 32, `memory ${memory} B`);
  t.is(sampleValue(families, 'twinbox_vm_cpu_usage_ratio', office), undefined, 'the fake has no rate of its own');
  t.is(sampleValue(families, 'twinbox_vm_memory_bytes', { workspace: 'legacy' }), undefined, 'no VM, no figures');
});
