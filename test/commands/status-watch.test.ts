import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import test from 'ava';
import type { WorkspaceStatus } from '../../src/core/workspace/workspace-status.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';
import { TWINBOX_BIN, twinbox } from '../helpers/cli.js';

type Line = { type: 'workspace'; workspace: WorkspaceStatus } | { type: 'synced'; at: string } | { type: 'removed'; name: string; scope: string };

test('status --json --watch streams one line per workspace, then a line for each change, until SIGTERM ends it with exit 0', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office' });
  await h.install({ name: 'legacy' });
  t.is((await twinbox(['start', 'office'], h.env)).exitCode, 0);

  const child = spawn(process.execPath, [TWINBOX_BIN, 'status', '--json', '--watch', '--interval', '0.2'], { env: h.env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  const lines: Line[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    lines.push(JSON.parse(text) as Line);
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 20_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`no ${what} within 20 s; lines: ${JSON.stringify(lines.map((line) => line.type))}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };

  await until(() => lines.some((line) => line.type === 'synced'), 'synced line');
  const initial = lines.splice(0);
  t.deepEqual(
    initial.map((line) => (line.type === 'workspace' ? [line.workspace.name, line.workspace.state] : [line.type])),
    [['legacy', 'not-created'], ['office', 'running'], ['synced']],
  );

  t.is((await twinbox(['stop', 'office', '--force'], h.env)).exitCode, 0);
  await until(() => lines.some((line) => line.type === 'workspace' && line.workspace.name === 'office' && line.workspace.state === 'stopped'), 'line for the stopped office');
  t.false(lines.some((line) => line.type === 'workspace' && line.workspace.name === 'legacy'), 'a workspace that did not change gets no line');

  t.is((await twinbox(['uninstall', 'legacy'], h.env)).exitCode, 0);
  await until(() => lines.some((line) => line.type === 'removed'), 'removed line');
  t.like(lines.find((line) => line.type === 'removed'), { type: 'removed', name: 'legacy', scope: 'user' });

  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  t.is(await exited, 0);
});

test('status --watch without --json, or --interval out of range, is a usage error', async (t) => {
  const h = testHome(t);
  for (const [args, message] of [
    [['status', '--watch'], /--watch prints JSON lines: add --json/],
    [['status', '--json', '--watch', '--interval', '0'], /--interval takes a number of seconds from 0\.2 to 3600/],
    [['status', '--json', '--interval', '5'], /--interval goes with --watch/],
  ] as const) {
    const result = await twinbox([...args], h.env);
    t.is(result.exitCode, 2, args.join(' '));
    t.regex(`${result.stderr}${result.stdout}`, message, "said on stderr, or as JSON on stdout under --json");
  }
});
