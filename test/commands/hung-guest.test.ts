import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { RUNNING_AGENT_TIMEOUT_MS } from '../../src/core/workspace/agent-ready.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';
import { twinbox } from '../helpers/cli.js';

const FILES = {
  'etc/hostname': 'base\n',
  'usr/bin/greet': '#!/bin/sh\necho "hello $*"\n',
  'usr/share/applications/greet.desktop': '[Desktop Entry]\nType=Application\nName=Greeter\nExec=/usr/bin/greet %U\nX-Twinbox-Kind=command\n',
};

test('run gives up on a guest agent that stops answering (guest process stopped) with exit 5 and says so', async (t) => {
  const h = testHome(t);
  await h.install({ name: 'office', files: FILES });
  const setup = await twinbox(['setup', 'office', '--mode', 'silent'], h.env);
  t.is(setup.exitCode, 0, setup.stderr);
  const { pid } = JSON.parse(readFileSync(join(h.workspaceDir('office'), 'vm', 'fake-vm.json'), 'utf8')) as { pid: number };
  process.kill(pid, 'SIGSTOP');
  t.teardown(() => {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // already gone
    }
  });
  const started = Date.now();
  const run = await twinbox(['run', 'office', 'greet'], h.env);
  const took = Date.now() - started;
  t.is(run.exitCode, 5, run.stderr);
  t.regex(run.stderr, new RegExp(`twinbox: the guest agent of "office" stopped answering: no answer within ${RUNNING_AGENT_TIMEOUT_MS / 1000} s although its VM is running`));
  t.regex(run.stderr, /hint: the guest may be hung: `twinbox restart office` restarts it/);
  t.true(took < RUNNING_AGENT_TIMEOUT_MS + 15_000, `gave up after ${took} ms`);

  process.kill(pid, 'SIGCONT');
  const again = await twinbox(['run', 'office', 'greet', '--', 'again'], h.env);
  t.is(again.exitCode, 0, again.stderr);
  t.regex(again.stdout, /hello again/);
});
