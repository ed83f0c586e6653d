import test from 'ava';
import { parseMetricsQuery } from '../../../../plugins/virtualbox/driver/metrics-query.js';
import { PERIOD_SECONDS, QUERIED } from '../../../../plugins/virtualbox/cap/metrics.js';
import { virtualbox } from '../support/harness.js';
import { demoFixture } from '../support/fixture.js';
import { VBoxSteps } from '../transcripts/vbox-steps.js';
import * as out from '../transcripts/vboxmanage-output.js';

function setup(t: { teardown: (fn: () => void) => void }) {
  const h = virtualbox([]);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  return { ...h, fixture, vbox: new VBoxSteps(fixture), ref: { id: 'demo', vmDir: fixture.vmDir, data: { uuid: fixture.uuid } } };
}

test('metrics query lines are read by the metric name, whatever the VM is called; the newest sample counts', (t) => {
  const stdout = out.metricsQueryOutput('Windows 11 (work)', [
    { metric: 'CPU/Load/User', samples: [1.5, 12.25], unit: '%' },
    { metric: 'CPU/Load/Kernel', samples: [0.75], unit: '%' },
    { metric: 'RAM/Usage/Used', samples: [2097152], unit: 'kB' },
    { metric: 'Guest/RAM/Usage/Free', samples: [], unit: 'kB' },
  ]);
  const parsed = parseMetricsQuery(stdout);
  t.deepEqual(parsed.get('CPU/Load/User'), [1.5, 12.25]);
  t.deepEqual(parsed.get('CPU/Load/Kernel'), [0.75]);
  t.deepEqual(parsed.get('RAM/Usage/Used'), [2097152]);
  t.deepEqual(parsed.get('Guest/RAM/Usage/Free'), []);
  t.is(parsed.size, 4, 'the header and its rule are no metrics');
  t.deepEqual(parseMetricsQuery(stdout.replace(/\n/g, '\r\n')).get('CPU/Load/User'), [1.5, 12.25]);
});

test('a running VM whose collection is set up: CPU is user + kernel load, memory the VM process’s', async (t) => {
  const h = setup(t);
  const name = h.vbox.name;
  h.runner.append(
    h.vbox.showvminfo('running'),
    h.vbox.call(['metrics', 'query', h.fixture.uuid, QUERIED], {
      stdout: out.metricsQueryOutput(name, [
        { metric: 'CPU/Load/User', samples: [20.5], unit: '%' },
        { metric: 'CPU/Load/Kernel', samples: [4.25], unit: '%' },
        { metric: 'RAM/Usage/Used', samples: [1048576], unit: 'kB' },
      ]),
    }),
  );
  const metrics = await h.plugin.metrics(h.ref);
  t.like(metrics, { cpuPercent: 24.8, memoryBytes: 1024 * 1024 * 1024 });
  t.is(typeof metrics?.at, 'number');
  t.notThrows(() => h.runner.assertDone());
});

test('no samples yet: collection is set up for the VM, and this reading has no figures', async (t) => {
  const h = setup(t);
  h.runner.append(
    h.vbox.showvminfo('running'),
    h.vbox.call(['metrics', 'query', h.fixture.uuid, QUERIED], {
      stdout: out.metricsQueryOutput(h.vbox.name, [
        { metric: 'CPU/Load/User', samples: [], unit: '%' },
        { metric: 'CPU/Load/Kernel', samples: [], unit: '%' },
        { metric: 'RAM/Usage/Used', samples: [], unit: 'kB' },
      ]),
    }),
    h.vbox.call(['metrics', 'setup', '--period', String(PERIOD_SECONDS), '--samples', '1', h.fixture.uuid, 'CPU/Load,RAM/Usage']),
  );
  const metrics = await h.plugin.metrics(h.ref);
  t.deepEqual(Object.keys(metrics ?? {}), ['at']);
  t.notThrows(() => h.runner.assertDone());
});

test('a VM that is not running has no figures, and nothing else is asked', async (t) => {
  const h = setup(t);
  h.runner.append(h.vbox.showvminfo('poweroff'));
  t.is(await h.plugin.metrics(h.ref), undefined);
  h.runner.append(h.vbox.showvminfo('saved'));
  t.is(await h.plugin.metrics(h.ref), undefined);
  t.notThrows(() => h.runner.assertDone());
});
