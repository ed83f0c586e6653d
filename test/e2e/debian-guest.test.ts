/**
 * A guest nobody here wrote: Debian 12 built from Debian's packages (scripts/build-debian-guest.sh),
 * booted by systemd with the packaged qemu-guest-agent started by udev as its service. The
 * journey: pack → install → first-time setup (host name from the mask, a user in sudo, the
 * host's time zone and locale, a setup script) → a real reboot → every setting still there →
 * discovery against the real desktop entries of the installed packages → a command app → htop
 * through the terminal bridge, checked as a whole screen → suspend, resume, reset, uninstall.
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { TWINBOX_BIN, twinbox as runTwinbox } from '../helpers/cli.js';
import { PtyScreen } from '../helpers/screen/pty-screen.js';
import { tempDir } from '../helpers/temp.js';
import { debianGuestImage, debianGuestMissing } from '../plugins/qemu/helpers/debian-guest.js';
import { qemuMissing } from '../plugins/qemu/helpers/real-qemu.js';
import { consoleLogs, ok, qemuPidsUnder } from './helpers/qemu-home.js';

const skip = qemuMissing() ?? debianGuestMissing();
const journey = skip ? test.skip : test.serial;
if (skip) test.serial('the Debian guest journey needs QEMU, root and mmdebstrap', (t) => t.log(`skipped: ${skip}`) ?? t.pass());

/** What the guest says of the settings setup made, one `key=value` a line (a command app of the package). */
const FACTS = [
  'echo "hostname=$(hostname)"',
  'echo "etc-hostname=$(cat /etc/hostname)"',
  'echo "localtime=$(readlink /etc/localtime)"',
  'echo "zone-abbreviation=$(unset TZ; date +%Z)"',
  'echo "locale=$(cat /etc/default/locale)"',
  'echo "user=$(id -nG alice)"',
  'echo "script=$(cat /var/lib/twinbox-first-script)"',
  'echo "init=$(cat /proc/1/comm)"',
  'echo "agent=$(systemctl is-active qemu-guest-agent)"',
  'echo "boot=$(cat /proc/sys/kernel/random/boot_id)"',
].join('; ');

function facts(output: string): Record<string, string> {
  return Object.fromEntries(
    output
      .split('\n')
      .map((line) => /^([a-z-]+)=(.*)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
}

journey('a real Debian 12 guest with systemd: setup, a reboot that keeps every setting, real desktop entries, htop on the terminal bridge, suspend, reset, uninstall', async (t) => {
  t.timeout(25 * 60_000);
  const home = tempDir(t, 'tbx-deb-');
  const source = join(home, 'source');
  mkdirSync(join(source, 'scripts'), { recursive: true });
  const built = Date.now();
  copyFileSync(await debianGuestImage((line) => t.log(line)), join(source, 'disk.qcow2'));
  t.log(`Debian guest image ready in ${((Date.now() - built) / 1000).toFixed(0)} s`);
  writeFileSync(join(source, 'scripts', 'first.sh'), '#!/bin/sh\nset -e\nprintf "%s on %s\\n" "$TWINBOX_WORKSPACE" "$TWINBOX_COMPUTER_NAME" > /var/lib/twinbox-first-script\n');
  writeFileSync(
    join(source, 'workspace.json'),
    JSON.stringify({
      name: 'debian',
      version: '1.0.0',
      description: 'Debian 12 with systemd',
      image: { file: 'disk.qcow2', format: 'qcow2', sha256: 'auto', os: 'linux' },
      vm: { memoryMiB: 512, cpus: 1, network: 'none' },
      hypervisors: { allowed: ['qemu'] },
      setup: { computerName: 'DEB-###', user: { name: 'alice', addToAdmins: true }, copyTimeZone: true, copyLocale: true, scripts: ['scripts/first.sh'] },
      publishing: { apps: [{ id: 'facts', name: 'Guest facts', kind: 'command', command: ['/bin/sh', '-c', FACTS] }] },
    }),
  );
  // The host's zone and locale that setup copies into the guest.
  const env = { TWINBOX_HOME: home, TZ: 'Europe/Paris', LANG: 'fr_FR.UTF-8', LC_ALL: '' };
  t.teardown(() => {
    for (const pid of qemuPidsUnder(home)) process.kill(pid, 'SIGKILL');
  });
  // Under software emulation a systemd boot takes tens of seconds, more on a busy machine.
  const twinbox = (args: string[]) => ok(t, home, args, env, 8 * 60_000);
  // doctor exits 1 where no real hypervisor is usable: its JSON is what counts here.
  const twinbox_ = (args: string[]) => runTwinbox(args, env);

  try {
    await twinbox(['pack', source, '--out', join(home, 'debian.twbx')]);
    await twinbox(['install', join(home, 'debian.twbx'), '--unattended']);

    const setupStarted = Date.now();
    const setup = await twinbox(['setup', 'debian', '--json']);
    t.log(`first-time setup (boot to agent, customisation, discovery) in ${((Date.now() - setupStarted) / 1000).toFixed(0)} s`);
    const computerName = (JSON.parse(setup.stdout.trim().split('\n').pop()!) as { computerName?: string }).computerName ?? '';
    t.regex(computerName, /^DEB-\d{3}$/);

    const expected = {
      hostname: computerName,
      'etc-hostname': computerName,
      localtime: '/usr/share/zoneinfo/Europe/Paris',
      locale: 'LANG=fr_FR.UTF-8',
      script: `debian on ${computerName}`,
      init: 'systemd',
      agent: 'active',
    };
    const before = facts((await twinbox(['run', '--quiet', 'debian', 'facts'])).stdout);
    t.like(before, expected);
    t.regex(before['zone-abbreviation'] ?? '', /^CES?T$/, 'the guest tells time in the copied zone');
    t.true((before.user ?? '').split(' ').includes('sudo'), `alice is in sudo: ${before.user}`);
    const status = JSON.parse((await twinbox(['status', 'debian', '--json'])).stdout) as { guestOs?: { id: string; prettyName?: string; version?: string } };
    t.like(status.guestOs, { id: 'debian', prettyName: 'Debian GNU/Linux 12 (bookworm)' }, 'the OS the real qemu-ga reads from /etc/os-release');
    const doctor = await twinbox_(['doctor', '--json']);
    const checks = (JSON.parse(doctor.stdout) as { checks: Array<{ check: string; detail: string }> }).checks;
    t.regex(checks.find((check) => check.check === 'workspace debian')?.detail ?? '', /^guest: Debian GNU\/Linux 12 \(bookworm\), kernel \S+-cloud-amd64 \(its agent said so \d{4}-\d\d-\d\d\)$/);

    // A real reboot: the guest shuts down (ACPI, systemd) and boots again from its disk.
    const rebootStarted = Date.now();
    await twinbox(['restart', 'debian']);
    t.log(`restart (shutdown and boot to agent) in ${((Date.now() - rebootStarted) / 1000).toFixed(0)} s`);
    const after = facts((await twinbox(['run', '--quiet', 'debian', 'facts'])).stdout);
    t.not(after.boot, before.boot, 'the guest booted again');
    t.like(after, expected);
    t.is(after.user, before.user);

    // Discovery read the real desktop entries of the installed packages: htop's is published;
    // vim-tiny installs vim.desktop whose TryExec=vim names a program it does not install.
    const apps = JSON.parse((await twinbox(['apps', 'debian', '--json'])).stdout) as Array<{ id: string; name: string; kind: string }>;
    t.deepEqual(
      apps.map((app) => `${app.id}:${app.kind}`).sort(),
      ['facts:command', 'htop:terminal'],
    );

    // htop through the terminal bridge in a real terminal emulator: the whole screen is htop's.
    const ui = new PtyScreen(t, [process.execPath, TWINBOX_BIN, 'run', '--quiet', 'debian', 'htop'], {
      columns: 80,
      rows: 24,
      env: { ...process.env, ...env, TERM: 'xterm-256color', LANG: 'C.UTF-8' },
      journey: 'debian-htop',
    });
    await ui.waitFor((text) => /F10Quit/.test(text) && /Load average/.test(text), 120_000);
    const rows = ui.text().split('\n');
    t.is(rows.length, 24, 'htop fills the 24 rows');
    t.regex(rows[23]!, /^F1Help +F2Setup +F3Search ?F4Filter ?F5Tree +F6SortBy ?F7Nice - ?F8Nice \+ ?F9Kill +F10Quit *$/, 'the last row is htop\'s function-key bar');
    t.true(rows.some((row) => /^\s*PID USER/.test(row)), 'the process list header is on the screen');
    // Which processes show depends on htop's CPU sort at that moment; that the guest's own are listed does not.
    t.true(rows.filter((row) => /^\s*\d+ +\S+ +-?\d+ +-?\d+ /.test(row)).length >= 5, 'htop lists the guest\'s processes, one per row');
    ui.send('q');
    const exit = await ui.exited;
    t.is(exit.exitCode, 0);

    await twinbox(['suspend', 'debian']);
    t.is((JSON.parse((await twinbox(['status', 'debian', '--json'])).stdout) as { state: string }).state, 'suspended');
    await twinbox(['resume', 'debian']);
    t.is(facts((await twinbox(['run', '--quiet', 'debian', 'facts'])).stdout).boot, after.boot, 'resumed from the saved state, not booted');

    await twinbox(['reset', 'debian', '--yes']);
    const reset = facts((await twinbox(['run', '--quiet', 'debian', 'facts'])).stdout);
    t.like(reset, { ...expected, hostname: reset.hostname, 'etc-hostname': reset.hostname, script: `debian on ${reset.hostname}` });

    await twinbox(['uninstall', 'debian']);
    t.deepEqual(qemuPidsUnder(home), [], 'no qemu process is left');
    t.false(existsSync(join(home, 'data', 'workspaces', 'debian')), 'no overlay disk is left');
  } catch (error) {
    t.log(consoleLogs(home));
    throw error;
  }
});
