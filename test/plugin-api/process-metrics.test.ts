import test from 'ava';
import { spawn } from 'node:child_process';
import { cpuPercentBetween, readProcessMetrics } from '../../src/plugin-api/process-metrics.js';

test('a process’s CPU time and resident memory read from /proc agree with what the process says of itself', async (t) => {
  // A real process, with a name /proc shows in parentheses, that burns 0.6 s of its own CPU,
  // then says what it used (process.cpuUsage, process.memoryUsage) and waits to be read.
  // (Its resident memory is taken before the title is set: Node 20's own reading of it,
  // from /proc/self/stat, goes wrong once the name holds a space and a parenthesis.)
  const script = [
    'const start = process.cpuUsage();',
    'while ((process.cpuUsage(start).user + process.cpuUsage(start).system) < 600000) {}',
    'const rss = process.memoryUsage().rss;',
    'process.title = "spin (twinbox) test";',
    'const used = process.cpuUsage();',
    'console.log(JSON.stringify({ cpu: (used.user + used.system) / 1e6, rss }));',
    'setTimeout(() => {}, 60000);',
  ].join('\n');
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.teardown(() => child.kill('SIGKILL'));
  const said = JSON.parse(await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())))) as { cpu: number; rss: number };
  const read = await readProcessMetrics(child.pid!);
  t.truthy(read?.cpuSeconds !== undefined && read.memoryBytes !== undefined);
  // /proc counts in clock ticks (10 ms): the two agree to a few ticks.
  t.true(Math.abs(read!.cpuSeconds! - said.cpu) <= 0.05, `/proc ${read!.cpuSeconds} s, the process ${said.cpu} s`);
  t.true(Math.abs(read!.memoryBytes! - said.rss) / said.rss < 0.1, `/proc ${read!.memoryBytes} B, the process ${said.rss} B`);
});

test('a process that is gone, or no pid at all, has no figures', async (t) => {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  t.is(await readProcessMetrics(child.pid!), undefined);
  t.is(await readProcessMetrics(0), undefined);
  t.is(await readProcessMetrics(-5), undefined);
});

test('a rate needs two readings of the same process; the hypervisor’s own rate is taken as it is', (t) => {
  t.is(cpuPercentBetween(undefined, { at: 1000, cpuSeconds: 5 }), undefined);
  t.is(cpuPercentBetween({ at: 1000, cpuSeconds: 5 }, { at: 3000, cpuSeconds: 6 }, 1), 50);
  t.is(cpuPercentBetween({ at: 1000, cpuSeconds: 5 }, { at: 2000, cpuSeconds: 7 }, 2), 100, 'two cores busy of two');
  t.is(cpuPercentBetween({ at: 1000, cpuSeconds: 5 }, { at: 2000, cpuSeconds: 6 }, 8), 12.5);
  t.is(cpuPercentBetween({ at: 1000, cpuSeconds: 9 }, { at: 2000, cpuSeconds: 1 }, 2), undefined, 'restarted in between');
  t.is(cpuPercentBetween({ at: 1000, cpuSeconds: 5 }, { at: 1000, cpuSeconds: 5 }, 2), undefined);
  t.is(cpuPercentBetween(undefined, { at: 1000, cpuPercent: 12.5 }), 12.5);
});
