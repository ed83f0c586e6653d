import test from 'ava';
import { resourceLine } from '../../../src/ui/dashboard/views/detail-pane.js';
import { METRICS_HISTORY, withReading, type MetricsHistory } from '../../../src/ui/dashboard/use-vm-metrics.js';
import { masks } from '../../helpers/screen/masks.js';

const levels = { levels: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] };

test('readings become a history: CPU from two readings of CPU time, memory as read, the oldest dropped after a minute', (t) => {
  let history: MetricsHistory = { cpu: [], memoryBytes: [] };
  history = withReading(history, undefined, { at: 0, cpuSeconds: 10, memoryBytes: 100 * 2 ** 20 });
  t.deepEqual(history, { cpu: [undefined], memoryBytes: [100 * 2 ** 20] }, 'a first reading has no rate yet');
  history = withReading(history, { at: 0, cpuSeconds: 10 }, { at: 2000, cpuSeconds: 10.5, memoryBytes: 110 * 2 ** 20 });
  t.true(history.cpu[1]! > 0, 'half a second of CPU in two seconds');
  history = withReading(history, undefined, undefined);
  t.deepEqual([history.cpu.at(-1), history.memoryBytes.at(-1)], [undefined, undefined], 'a failed reading is a gap');
  for (let i = 0; i < 40; i++) history = withReading(history, undefined, { at: i, cpuPercent: i, memoryBytes: i });
  t.is(history.cpu.length, METRICS_HISTORY);
  t.is(history.cpu.at(-1), 39);
});

test('the resource line: two meters as wide as the pane allows, the latest figures, none without readings', (t) => {
  const history: MetricsHistory = { cpu: [undefined, 0, 50, 100], memoryBytes: [2 ** 27, 2 ** 27, 2 ** 28, 2 ** 28] };
  t.is(resourceLine(history, 80, levels), `cpu ${' '.repeat(19)} ▁▅█ 100.0% mem ${' '.repeat(19)}▅▅██ 256 MiB`);
  const narrow = resourceLine(history, 40, levels)!;
  t.is(narrow, 'cpu  ▁▅█ 100.0% mem ▅▅██ 256 MiB', 'meters of 4 cells at the least');
  t.is(resourceLine({ cpu: [undefined], memoryBytes: [undefined] }, 80, levels), undefined);
  t.regex(resourceLine({ cpu: [undefined], memoryBytes: [2 ** 20] }, 60, levels)!, /^cpu +- +mem +█ 1 MiB$/);
});

test('the screens mask the meters, which read a real process', (t) => {
  const line = resourceLine({ cpu: [1.5, 3.25], memoryBytes: [2 ** 26, 2 ** 26 + 5] }, 80, levels)!;
  const masked = masks('/nowhere').reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), line);
  t.is(masked, 'cpu <meter> mem <meter>');
});
