import test from 'ava';
import { figuresMarkdown, mergeFigures, readmeWithFigures, thisMachine, type FiguresFile } from '../../bench/figures.js';

const result = (name: string, value: number, pass = true) => ({ name, value, unit: '×', target: 1.5, pass, detail: `${value * 60} ms vs node -e 0 60 ms` });

test('a run merges in by name: figures of other suites keep their date and machine, new ones go after their suite', (t) => {
  const older: FiguresFile = {
    machines: { old: { description: 'another machine' } },
    figures: [
      { name: 'a', suite: 'cold start', value: 1.2, unit: '×', target: 1.5, pass: true, measured: '2026-12-01', load: 0.3, machine: 'old' },
      { name: 'q', suite: 'QEMU', value: 1.01, unit: '×', target: 1.1, pass: true, measured: '2026-12-01', load: 0.2, machine: 'old' },
    ],
  };
  const merged = mergeFigures(older, [{ suite: 'cold start', load: 1.5, result: result('a', 1.4) }, { suite: 'cold start', load: 1.5, result: result('b', 1.6, false) }], new Date('2026-12-07T03:00:00Z'));
  const here = thisMachine().key;
  t.deepEqual(merged.figures.map((figure) => [figure.name, figure.machine, figure.measured]), [
    ['a', here, '2026-12-07'],
    ['b', here, '2026-12-07'],
    ['q', 'old', '2026-12-01'],
  ]);
  t.deepEqual(Object.keys(merged.machines).sort(), [here, 'old'].sort());
  // The other machine's last figure replaced: it is no longer listed.
  const again = mergeFigures(merged, [{ suite: 'QEMU', load: 0.1, result: { ...result('q', 1.03), target: 1.1 } }], new Date('2026-12-07T04:00:00Z'));
  t.deepEqual(Object.keys(again.machines), [here]);
});

test('the table shows every figure with its target, over-target figures in bold, peers apart, and the machine', (t) => {
  const file: FiguresFile = {
    machines: { m1: { description: '2 cores (Test CPU), 24 GiB, no usable KVM (QEMU under TCG), Node 20.20.2, Linux 6.1' } },
    figures: [
      { name: 'cold start: `twinbox --version` / `node -e 0`', suite: 'cold start', value: 1.1, unit: '×', target: 1.15, pass: true, detail: '70 ms vs 63 ms', measured: '2026-12-07', load: 0.4, machine: 'm1' },
      { name: 'first frame | 20 workspaces', suite: 'dashboard', value: 5.1, unit: '×', target: 3, pass: false, measured: '2026-12-07', load: 0.4, machine: 'm1' },
      { name: 'listing 1: twinbox / virsh', suite: 'peers', value: 9.1, unit: '×', peer: true, detail: '189 ms, 21 ms', measured: '2026-12-07', load: 0.5, machine: 'm1' },
    ],
  };
  t.is(
    figuresMarkdown(file),
    [
      'Machine: 2 cores (Test CPU), 24 GiB, no usable KVM (QEMU under TCG), Node 20.20.2, Linux 6.1.',
      '',
      '| benchmark | target | latest | measured |',
      '| --- | --- | --- | --- |',
      '| cold start: `twinbox --version` / `node -e 0` | ≤ 1.15× | 1.1× (70 ms vs 63 ms) | 2026-12-07, load 0.4 |',
      '| first frame \\| 20 workspaces | ≤ 3× | **5.1×, over target** | 2026-12-07, load 0.4 |',
      '',
      "Comparisons without a target of ours: twinbox beside the tools users would pick instead (twinbox ÷ peer), and the floors under its own figures (the smallest Ink program, Ink's own renderers); each side's median with its range:",
      '',
      '| comparison | ratio | twinbox, peer | measured |',
      '| --- | --- | --- | --- |',
      '| listing 1: twinbox / virsh | 9.1× | 189 ms, 21 ms | 2026-12-07, load 0.5 |',
      '',
    ].join('\n'),
  );
});

test('the README keeps everything outside its markers; without them it is not touched', (t) => {
  const file: FiguresFile = { machines: {}, figures: [] };
  const readme = 'before\n<!-- bench:start (generated from bench/figures.json by `npm run docs`) -->\nold table\n<!-- bench:end -->\nafter\n';
  t.is(readmeWithFigures(readme, file), 'before\n<!-- bench:start (generated from bench/figures.json by `npm run docs`) -->\nNo figures saved yet: `npm run bench -- --save`, then `npm run docs`.\n<!-- bench:end -->\nafter\n');
  t.is(readmeWithFigures('no markers\n', file), undefined);
});
