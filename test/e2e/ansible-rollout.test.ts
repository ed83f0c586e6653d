/**
 * The rollout of examples/ansible, for real: Debian's ansible-playbook against two hosts reached
 * over SSH (real sshd on loopback ports, throwaway host keys checked strictly, each host its own
 * user, TWINBOX_HOME and policy folder), installing the tarball `npm pack` makes of this checkout,
 * then the hello workspace package and a machine policy file. A second run changes nothing; a
 * package that fails verification fails the run with twinbox's exit 3 message and leaves each
 * host's workspace as it was. Root only (sshd logs in other users); CI runs as root.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { startSshd, whyNoSshd, type SshHost } from '../helpers/sshd.js';
import { runAs } from '../helpers/throwaway-users.js';
import { has, ok, run as runProgram, type Run, type RunOptions } from '../helpers/processes.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const playbook = join(repo, 'examples', 'ansible', 'site.yml');

/** Programs run from the checkout unless told otherwise. */
const run = (program: string, args: string[], options: RunOptions = {}): Promise<Run> => runProgram(program, args, { cwd: repo, ...options });

function whyNotHere(): string | undefined {
  const why = whyNoSshd();
  if (why) return why;
  return has('ansible-playbook') ? undefined : 'ansible-playbook is missing (apt-get install ansible)';
}

/** Flips one byte in the middle of the tar member `name` (an uncompressed .twbx). */
function corruptMember(file: string, name: string): void {
  const bytes = readFileSync(file);
  for (let offset = 0; offset + 512 <= bytes.length; ) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const member = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim(), 8);
    if (member === name || member === `./${name}`) {
      const at = offset + 512 + Math.floor(size / 2);
      bytes[at] = bytes[at]! ^ 0xff;
      writeFileSync(file, bytes);
      return;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${name} is not in ${file}`);
}

interface PlaybookOutcome {
  exitCode: number;
  stats: Record<string, { changed: number; failures: number; ok: number; unreachable: number; skipped: number }>;
  tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[];
  raw: Run;
}

test('ansible-playbook rolls twinbox out to two SSH hosts: workspace installed and policy in force on each; a second run changes nothing; a corrupt package fails with exit 3 and keeps the workspace', async (t) => {
  const why = whyNotHere();
  if (why) {
    t.log(`skipped: ${why}`);
    return t.pass();
  }
  t.timeout(360_000);
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'tbx-ansible-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));

  // The artifact: npm pack of this (built) checkout, as the package-install test makes it.
  mkdirSync(join(work, 'pack'));
  const packed = ok(await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', join(work, 'pack')], { env: { CI: 'true' } }), 'npm pack');
  const tarball = join(work, 'pack', (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);

  // The workspace packages: hello 1.0.0, and a 1.1.0 whose image has one byte changed after packing.
  const source = join(work, 'hello');
  cpSync(join(repo, 'examples', 'hello'), source, { recursive: true });
  ok(await run('sh', [join(source, 'build-image.sh'), join(source, 'hello-guest.img')]), 'build-image.sh');
  const good = join(work, 'hello-1.0.0.twbx');
  ok(await run(process.execPath, [join(repo, 'bin', 'twinbox.js'), 'pack', source, '--out', good], { env: { TWINBOX_HOME: join(work, 'packer') } }), 'twinbox pack');
  const manifest = JSON.parse(readFileSync(join(source, 'workspace.json'), 'utf8')) as { version: string; image: { file: string } };
  writeFileSync(join(source, 'workspace.json'), JSON.stringify({ ...manifest, version: '1.1.0' }, null, 2));
  const bad = join(work, 'hello-1.1.0.twbx');
  ok(await run(process.execPath, [join(repo, 'bin', 'twinbox.js'), 'pack', source, '--out', bad], { env: { TWINBOX_HOME: join(work, 'packer') } }), 'twinbox pack');
  corruptMember(bad, manifest.image.file);

  const hosts: Record<string, SshHost> = {};
  const closeAction: Record<string, string> = { host1: 'shutdown', host2: 'power-off' };
  for (const name of ['host1', 'host2']) hosts[name] = await startSshd(t, { prefix: `tbx${name.slice(-1)}` });
  const at = (name: string, ...parts: string[]) => join(hosts[name]!.user.home, ...parts);
  // One SSH connection per host for a whole run (fewer key exchanges on a busy machine), ended
  // before the hosts' sshd is (teardowns run last first).
  const controlPath = join(work, 'cp-%C');
  const shared = `-o ControlMaster=auto -o ControlPersist=60s -o ControlPath=${controlPath}`;
  t.teardown(async () => {
    for (const host of Object.values(hosts)) {
      await run('ssh', ['-F', '/dev/null', '-o', `ControlPath=${controlPath}`, '-O', 'exit', '-p', String(host.port), `${host.user.name}@${host.address}`]);
    }
  });
  const inventory = {
    twinbox: {
      vars: {
        twinbox_tarball: tarball,
        twinbox_packages: [good],
        // No systemd user manager here (PID 1 is not systemd): --install-unit would exit 1.
        twinbox_agent_unit: false,
        ansible_python_interpreter: '/usr/bin/python3',
      },
      hosts: Object.fromEntries(
        Object.entries(hosts).map(([name, host]) => [
          name,
          {
            ansible_host: host.address,
            ansible_port: host.port,
            ansible_user: host.user.name,
            ansible_ssh_private_key_file: host.identityFile,
            ansible_ssh_common_args: `-F /dev/null -o UserKnownHostsFile=${host.knownHostsFile} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes ${shared}`,
            twinbox_prefix: at(name, 'prefix'),
            twinbox_stage_dir: at(name, 'stage'),
            twinbox_home: at(name, 'twinbox'),
            twinbox_policy_dir: at(name, 'policy'),
            twinbox_policy: { 'workspace.closeAction': closeAction[name], 'publishing.refreshSeconds': 60 },
          },
        ]),
      ),
    },
  };
  const inventoryFile = join(work, 'inventory.json');
  writeFileSync(inventoryFile, JSON.stringify(inventory, null, 2));
  const ansibleHome = join(work, 'ansible-home');
  mkdirSync(ansibleHome);
  chmodSync(work, 0o755);

  const playbookRun = async (extra: string[] = []): Promise<PlaybookOutcome> => {
    const result = await run('ansible-playbook', ['-i', inventoryFile, playbook, ...extra], {
      cwd: work,
      timeoutMs: 180_000,
      env: {
        ANSIBLE_STDOUT_CALLBACK: 'json',
        ANSIBLE_CONFIG: join(work, 'no-ansible.cfg'),
        ANSIBLE_HOME: ansibleHome,
        ANSIBLE_LOCAL_TEMP: join(ansibleHome, 'tmp'),
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_RETRY_FILES_ENABLED: '0',
        ANSIBLE_PIPELINING: '1',
        ANSIBLE_HOST_KEY_CHECKING: 'True',
        ANSIBLE_FORKS: '2',
        ANSIBLE_SSH_ARGS: '',
      },
    });
    let parsed: Pick<PlaybookOutcome, 'stats'> & { plays: { tasks: PlaybookOutcome['tasks'] }[] };
    try {
      parsed = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
    } catch {
      throw new Error(`ansible-playbook printed no JSON (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
    }
    return { exitCode: result.exitCode, stats: parsed.stats, tasks: parsed.plays.flatMap((play) => play.tasks), raw: result };
  };
  const recap = (outcome: PlaybookOutcome) =>
    Object.entries(outcome.stats)
      .map(([host, s]) => `${host}: ok=${s.ok} changed=${s.changed} failed=${s.failures} unreachable=${s.unreachable} skipped=${s.skipped}`)
      .join('; ');
  const twinboxOn = (name: string, args: string[]) =>
    runAs(hosts[name]!.user, at(name, 'prefix', 'bin', 'twinbox'), args, { HOME: at(name), TWINBOX_HOME: at(name, 'twinbox'), TWINBOX_POLICY_DIR: at(name, 'policy') });
  const installedVersion = async (name: string) => {
    const status = await twinboxOn(name, ['status', '--json']);
    t.is(status.exitCode, 0, status.stderr);
    const workspaces = JSON.parse(status.stdout) as { name: string; version: string }[] | { workspaces: { name: string; version: string }[] };
    const list = Array.isArray(workspaces) ? workspaces : workspaces.workspaces;
    return list.find((workspace) => workspace.name === 'hello')?.version;
  };

  const first = await playbookRun();
  t.log(`first run (${((Date.now() - started) / 1000).toFixed(1)} s since start): ${recap(first)}`);
  t.is(first.exitCode, 0, `${first.raw.stdout.slice(-4000)}\n${first.raw.stderr}`);
  for (const name of Object.keys(hosts)) {
    t.like(first.stats[name], { failures: 0, unreachable: 0 });
    // Staging folder, tarball, npm install, policy folder and file, package copy, twinbox install.
    t.is(first.stats[name]!.changed, 7, recap(first));
    t.is(await installedVersion(name), '1.0.0');
    const policy = await twinboxOn(name, ['policy', '--json']);
    t.is(policy.exitCode, 0, policy.stderr);
    const settings = (JSON.parse(policy.stdout) as { settings: { key: string; value: unknown; source: string; locked: boolean }[] }).settings;
    t.like(settings.find((setting) => setting.key === 'workspace.closeAction'), {
      value: closeAction[name],
      source: `policy:${at(name, 'policy', 'policy.d', '50-ansible.json')}`,
      locked: true,
    });
    t.like(settings.find((setting) => setting.key === 'publishing.refreshSeconds'), { value: 60, locked: true });
  }

  const second = await playbookRun();
  t.log(`second run (${((Date.now() - started) / 1000).toFixed(1)} s since start): ${recap(second)}`);
  t.is(second.exitCode, 0, second.raw.stderr);
  for (const name of Object.keys(hosts)) t.like(second.stats[name], { changed: 0, failures: 0, unreachable: 0 });
  const reinstall = second.tasks.find((task) => task.task.name.includes('Install the workspace packages'))!;
  for (const name of Object.keys(hosts)) {
    const [item] = (reinstall.hosts[name] as { results: { rc: number; changed: boolean; stdout: string }[] }).results;
    t.is(item!.rc, 2, 'already installed: exit 2, reported as ok');
    t.false(item!.changed);
    t.like(JSON.parse(item!.stdout), { error: { code: 'package-installed', exitCode: 2 } });
  }

  // Where the agent unit is asked for but the host has no systemd user manager (as here): the
  // run fails at that task with twinbox's one line, and no unit is written.
  const noSystemd = await playbookRun(['-e', JSON.stringify({ twinbox_agent_unit: true })]);
  t.log(`agent unit asked for without systemd (${((Date.now() - started) / 1000).toFixed(1)} s since start): ${recap(noSystemd)}`);
  t.is(noSystemd.exitCode, 2);
  const unitFail = noSystemd.tasks.find((task) => task.task.name.includes('Fail where the unit could not be written'))!;
  for (const name of Object.keys(hosts)) {
    t.like(noSystemd.stats[name], { changed: 0, failures: 1 });
    t.regex(String(unitFail.hosts[name]!.msg), /^twinbox agent --install-unit failed with exit 1: no systemd user manager is reachable for \S+ \(systemctl --user: [^)]+\), so no unit was written \(set twinbox_agent_unit to false where the host has no systemd\)$/);
    t.throws(() => readdirSync(at(name, '.config', 'systemd')), { code: 'ENOENT' });
  }

  const corrupt = await playbookRun(['-e', JSON.stringify({ twinbox_packages: [bad] })]);
  t.log(`corrupt package run (${((Date.now() - started) / 1000).toFixed(1)} s since start): ${recap(corrupt)}`);
  t.is(corrupt.exitCode, 2, 'ansible-playbook: a host failed');
  const failTask = corrupt.tasks.find((task) => task.task.name.includes('Fail where twinbox install failed'))!;
  for (const name of Object.keys(hosts)) {
    t.like(corrupt.stats[name], { failures: 1, unreachable: 0 });
    const [item] = (failTask.hosts[name] as { results: { msg: string; failed: boolean }[] }).results;
    t.true(item!.failed);
    t.regex(item!.msg, /^twinbox install hello-1\.1\.0\.twbx failed with exit 3 \(verification failed\): .*hello-guest\.img/);
    t.log(`${name}: ${item!.msg}`);
    t.is(await installedVersion(name), '1.0.0', 'the previous workspace stays');
    t.deepEqual(readdirSync(at(name, 'twinbox', 'data', 'store', 'hello')).sort(), ['1.0.0']);
  }
  t.log(`whole test: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
