/** The short soak of `npm test` (`npm run soak` runs the long one): see test/soak/soak.ts for what it does and checks. */
import test from 'ava';
import { soak } from '../soak/soak.js';
import { soakProblems } from '../soak/verdict.js';

test.serial('a short soak: concurrent start, stop, suspend, resume, snapshot and run through the CLI under a live agent and dashboard', async (t) => {
  t.timeout(10 * 60_000);
  const report = await soak({ durationMs: 45_000, warmupMs: 30_000, workers: 6, workspaces: 5, log: (line) => t.log(line) });
  t.log(`outcomes: ${JSON.stringify(report.outcomes)}`);
  t.log(`agent: ${JSON.stringify(report.agent)}; dashboard: ${JSON.stringify(report.dashboard)}`);
  t.deepEqual(soakProblems(report), []);
  t.true(report.operations >= 30, `only ${report.operations} operations ran`);
});

test('the soak verdict fails on what it must: a hang, an unnamed busy refusal, a lost event, a leak', (t) => {
  const clean = { operations: 10, outcomes: {}, busy: 0, busyUnnamed: [], unexpected: [], hung: [], tornEvents: [], eventMismatches: [], leftovers: [] };
  t.deepEqual(soakProblems(clean), []);
  const watched = { pid: 1, fds: { warm: 20, end: 21 }, children: { warm: 0, end: 0 }, rssMiB: { warm: 60, end: 70 }, heapMiB: { warm: 20, end: 25 } };
  const problems = soakProblems({ ...clean, hung: ['twinbox stop a'], busyUnnamed: ['twinbox start a'], eventMismatches: ['a: 1 stop events for 2 stops'], agent: watched, leftovers: [42] });
  t.is(problems.length, 7);
  t.true(problems.some((line) => line.includes('open files')));
  t.true(problems.some((line) => line.includes('retained heap grew from 20 MiB to 25 MiB')));
  t.true(problems.some((line) => line.includes('resident memory grew from 60 MiB to 70 MiB')));
  // Within the bounds: heap up by 10 % plus 2 MiB, resident memory by 10 %.
  const steady = { ...watched, fds: { warm: 20, end: 20 }, rssMiB: { warm: 100, end: 110 }, heapMiB: { warm: 20, end: 24 } };
  t.deepEqual(soakProblems({ ...clean, dashboard: steady }), []);
  t.deepEqual(soakProblems({ ...clean, dashboard: { ...steady, rssMiB: { warm: 100, end: 111 } } }), ["the dashboard's resident memory grew from 100 MiB to 111 MiB"]);
});
