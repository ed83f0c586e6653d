/**
 * The whole user journey on a real QEMU with the tiny real guest and its real qemu-ga:
 * pack → install → setup → agent → apps → command app → interactive terminal app in a real
 * terminal (tmux) → suspend/resume → stop → reset → uninstall, and nothing left behind.
 * `npm run e2e` runs this file alone.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { resolvePaths } from '../../src/core/paths.js';
import { TWINBOX_BIN } from '../helpers/cli.js';
import { consoleLogs, ok, qemuPidsUnder, qemuSource } from './helpers/qemu-home.js';
import { tempDir } from '../helpers/temp.js';
import { tinyGuestImage } from '../plugins/qemu/helpers/tiny-guest.js';
import { qemuMissing } from '../plugins/qemu/helpers/real-qemu.js';

const skip = qemuMissing() ?? (existsSync('/usr/bin/tmux') ? undefined : 'tmux is not installed (apt-get install tmux)');
const journey = skip ? test.skip : test.serial;
if (skip) test.serial('the QEMU journey needs QEMU and tmux', (t) => t.log(`skipped: ${skip}`) ?? t.pass());

const WAIT_MS = 120_000;

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

async function screenShows(session: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p', '-t', session);
    if (pattern.test(screen)) return screen;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the terminal never showed ${pattern}; it shows:\n${screen}`);
}

journey('a real guest goes through pack, install, setup, apps, an interactive session, suspend, stop, reset and uninstall', async (t) => {
  t.timeout(10 * 60_000);
  const home = tempDir(t, 'tbx-e2e-');
  const source = qemuSource(home, await tinyGuestImage(), {
    name: 'tiny',
    description: 'the tiny real guest',
    setup: { computerName: 'E2E-###' },
  });
  const runtimeDir = resolvePaths({ TWINBOX_HOME: home }).runtimeDir;
  const session = `tbx-e2e-${process.pid}`;
  t.teardown(() => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // already gone
    }
    for (const pid of qemuPidsUnder(home)) process.kill(pid, 'SIGKILL');
  });

  try {
    await ok(t, home, ['pack', source, '--out', join(home, 'tiny.twbx')]);
    await ok(t, home, ['install', join(home, 'tiny.twbx'), '--unattended']);

    const setup = await ok(t, home, ['setup', 'tiny', '--json']);
    const last = JSON.parse(setup.stdout.trim().split('\n').pop()!) as { computerName?: string };
    t.regex(last.computerName ?? '', /^E2E-\d{3}$/);

    // The guest itself reports the host name setup gave it.
    const hello = await ok(t, home, ['run', '--quiet', 'tiny', 'hello']);
    t.true(hello.stdout.includes(`(${last.computerName})`), hello.stdout);

    const status = JSON.parse((await ok(t, home, ['status', 'tiny', '--json'])).stdout) as { state: string; setup: { state: string } };
    t.like(status, { state: 'running', setup: { state: 'ready' } });

    const apps = JSON.parse((await ok(t, home, ['apps', 'tiny', '--json'])).stdout) as Array<{ id: string; kind: string }>;
    t.deepEqual(apps.map((app) => `${app.id}:${app.kind}`).sort(), ['hello:command', 'shell:terminal', 'top:terminal']);

    // The interactive app in a real terminal: keys in, screen out, window size, Ctrl-C, exit code.
    // tmux runs this through sh; the paths are ours (temp folders, no quotes in them).
    const command = `env -u CI TWINBOX_HOME='${home}' '${process.execPath}' '${TWINBOX_BIN}' run --quiet tiny shell; echo EXIT=$?; sleep 60`;
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', command);
    await screenShows(session, /^\/ #/m, WAIT_MS);
    tmux('send-keys', '-t', session, 'echo typed-$((6*7)); stty size', 'Enter');
    await screenShows(session, /typed-42\n24 80/);
    tmux('resize-window', '-t', session, '-x', '100', '-y', '30');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    tmux('send-keys', '-t', session, 'stty size', 'Enter');
    await screenShows(session, /^30 100$/m);
    tmux('send-keys', '-t', session, 'sleep 600', 'Enter');
    await new Promise((resolve) => setTimeout(resolve, 500));
    tmux('send-keys', '-t', session, 'C-c');
    tmux('send-keys', '-t', session, 'echo interrupted-ok', 'Enter');
    await screenShows(session, /^interrupted-ok$/m);
    tmux('send-keys', '-t', session, 'exit 7', 'Enter');
    await screenShows(session, /^EXIT=7$/m);

    await ok(t, home, ['suspend', 'tiny']);
    t.is((JSON.parse((await ok(t, home, ['status', 'tiny', '--json'])).stdout) as { state: string }).state, 'suspended');
    await ok(t, home, ['resume', 'tiny']);
    t.true((await ok(t, home, ['run', '--quiet', 'tiny', 'hello'])).stdout.includes(`(${last.computerName})`), 'the guest came back from its saved state');

    await ok(t, home, ['stop', 'tiny']);
    t.is((JSON.parse((await ok(t, home, ['status', 'tiny', '--json'])).stdout) as { state: string }).state, 'stopped');
    t.deepEqual(qemuPidsUnder(home), []);

    await ok(t, home, ['reset', 'tiny', '--yes']);
    t.is((JSON.parse((await ok(t, home, ['status', 'tiny', '--json'])).stdout) as { setup: { state: string } }).setup.state, 'ready');

    await ok(t, home, ['uninstall', 'tiny']);
    t.deepEqual(qemuPidsUnder(home), [], 'no qemu process is left');
    t.false(existsSync(join(home, 'data', 'workspaces', 'tiny')), 'no overlay disk is left');
    t.false(existsSync(join(home, 'data', 'store', 'tiny')), 'no base image is left');
    const sockets = existsSync(runtimeDir) ? execFileSync('find', [runtimeDir, '-type', 's'], { encoding: 'utf8' }).trim() : '';
    t.is(sockets, '', 'no socket is left');
  } catch (error) {
    t.log(consoleLogs(home));
    throw error;
  }
});
