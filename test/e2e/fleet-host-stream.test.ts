/**
 * One fleet host's stream (HostStream) against a real sshd on loopback: a host whose twinbox
 * is too old, and one whose twinbox answers --version but cannot stream its status, are each
 * refused with the reason and the fix; a live host's list arrives through one ssh.
 */
import test from 'ava';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostStream } from '../../src/core/fleet/host-stream.js';
import type { HostStreamState } from '../../src/core/fleet/host-stream-state.js';
import { TWINBOX_BIN } from '../helpers/cli.js';
import { startSshd, whyNoSshd, type SshHost } from '../helpers/sshd.js';
import { sshConfig } from './helpers/ssh-config.js';

const why = whyNoSshd();
const serial = why === undefined ? test.serial : test.serial.skip;
if (why !== undefined && process.env.CI) test('a real sshd is here for the host-stream tests', (t) => t.fail(`cannot run them: ${why}`));

/** Streams ssh://host until `done` says the state is the one awaited; then stops. */
async function follow(host: SshHost, dir: string, remoteCommand: string, done: (state: HostStreamState) => boolean): Promise<HostStreamState> {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'tbx-stream-run-'));
  chmodSync(runtimeDir, 0o700);
  let stream: HostStream | undefined;
  try {
    return await new Promise<HostStreamState>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the stream never got there: ${JSON.stringify(stream?.state)}`)), 30_000);
      stream = new HostStream('lab', 'ssh://lab', {
        runtimeDir,
        localVersion: '0.1.0',
        remoteCommand,
        sshConfig: sshConfig(dir, { lab: { host } }),
        intervalMs: 500,
        onChange: (state) => {
          if (!done(state)) return;
          clearTimeout(timer);
          resolve(state);
        },
      });
      stream.start();
    });
  } finally {
    stream?.stop();
    rmSync(runtimeDir, { recursive: true, force: true });
  }
}

/** A program on the host standing for another twinbox: prints `version` for --version, `watch` (and its exit) for anything else. */
function fakeTwinbox(host: SshHost, version: string, watch: string): string {
  const file = join(host.dir, `twinbox-${version}`);
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = --version ]; then echo ${version}; exit 0; fi\n${watch}\n`);
  chmodSync(file, 0o755);
  return file;
}

serial('a live host streams its list; a too-old twinbox and one that cannot stream its status are refused with the fix', async (t) => {
  const host = await startSshd(t, { prefix: 'tbxhs' });
  const dir = mkdtempSync(join(tmpdir(), 'tbx-stream-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));

  const live = await follow(host, dir, `${process.execPath} ${TWINBOX_BIN}`, (state) => state.phase === 'live');
  t.is(live.version, '0.1.0');
  t.is(live.workspaces.size, 0, 'a new home has no workspaces');
  t.true(live.rttMs !== undefined && live.rttMs > 0);

  const old = await follow(host, dir, fakeTwinbox(host, '0.0.9', 'exit 1'), (state) => state.phase === 'refused');
  t.like(old.error, { code: 'host-version', message: 'ssh://lab runs twinbox 0.0.9, older than this twinbox 0.1.0 can drive (0.1.0 or newer, 0.x)' });
  t.is(old.retryAt! - old.errorAt!, 60_000, 'a refusal is asked again after a minute');

  const noWatch = await follow(host, dir, fakeTwinbox(host, '0.1.0', "echo \"twinbox: unknown option '--watch'\" >&2; exit 2"), (state) => state.phase === 'refused');
  t.like(noWatch.error, {
    code: 'host-version',
    message: "ssh://lab: its twinbox cannot stream its status (`status --json --watch` exited 2: twinbox: unknown option '--watch')",
    hint: 'upgrade twinbox on that host (npm install --global twinbox) to see it on this dashboard',
  });
});
