import test from 'ava';
import { testHome, tracingScript } from '../core/workspace/helpers/installed-workspace.js';
import { twinbox } from '../helpers/cli.js';

test('run on a running workspace says nothing of waiting for its guest agent; run on a stopped one does', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office', scripts: { 'scripts/hello.sh': tracingScript('hello') } });
  t.is((await twinbox(['start', 'office'], h.env)).exitCode, 0);
  const apps = JSON.parse((await twinbox(['apps', 'office', '--json'], h.env)).stdout) as { id: string; kind: string }[];
  const app = apps.find((entry) => entry.kind === 'command');
  t.truthy(app, JSON.stringify(apps));

  const running = await twinbox(['run', 'office', app!.id], h.env);
  t.is(running.exitCode, 0, running.stderr);
  t.notRegex(running.stderr, /waiting for the guest agent/);

  t.is((await twinbox(['stop', 'office', '--force'], h.env)).exitCode, 0);
  const stopped = await twinbox(['run', 'office', app!.id], h.env);
  t.is(stopped.exitCode, 0, stopped.stderr);
  t.regex(stopped.stderr, /waiting for the guest agent/, 'a booting guest is waited for, and says so');
});
