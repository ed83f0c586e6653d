/**
 * twinbox beside the tools its users would otherwise reach for, measured side by side in one
 * run: libvirt's `virsh` (listing, state, a command in the guest through the same QEMU guest
 * agent, start to agent ready, on the same tiny real guest) and Vagrant (listing). A peer that
 * is not installed here is skipped with a line saying how to install it. The figures are
 * ratios twinbox ÷ peer with each side's median and range; they have no target of ours.
 *
 * libvirt: TWINBOX_BENCH_LIBVIRT_URI names the connection, else qemu:///session, then
 * qemu:///system (as root) are tried. Vagrant boxes are defined (a Vagrantfile each and their
 * entries in Vagrant's machine index, so `vagrant global-status` lists them), never booted.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchHome, installManyForBench, removeBenchHome } from './installed-home.js';
import { comparison, median, sampleSideBySide, spread, type BenchResult } from './measure.js';
import { installTinyGuestWorkspace, twinbox } from './qemu-start.js';
import { tinyGuestForBench } from './tiny-guest.js';

const BIN = fileURLToPath(new URL('../../bin/twinbox.js', import.meta.url));
const AGENT = 'org.qemu.guest_agent.0';

function ok(command: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

function peer(name: string, ours: number[], theirs: number[], oursLabel: string, theirsLabel: string): BenchResult {
  return comparison(name, median(ours), median(theirs), `${oursLabel} ${spread(ours)} vs ${theirsLabel} ${spread(theirs)}`);
}

function skip(what: string, why: string): void {
  process.stderr.write(`skipping ${what}: ${why}\n`);
}

/** A libvirt connection that answers, or why there is none. */
function libvirtUri(): { uri?: string; why?: string } {
  if (spawnSync('which', ['virsh']).status !== 0) return { why: 'virsh is not installed (apt-get install libvirt-clients libvirt-daemon-system, or libvirt-daemon for a session daemon)' };
  const candidates = process.env.TWINBOX_BENCH_LIBVIRT_URI ? [process.env.TWINBOX_BENCH_LIBVIRT_URI] : ['qemu:///session', 'qemu:///system'];
  for (const uri of candidates) {
    if (spawnSync('virsh', ['-c', uri, 'list', '--all'], { stdio: 'ignore', timeout: 20_000 }).status === 0) return { uri };
  }
  return { why: `no libvirt daemon answered on ${candidates.join(' or ')} (start libvirtd, or set TWINBOX_BENCH_LIBVIRT_URI)` };
}

const virsh = (uri: string, ...args: string[]) => ok('virsh', ['-c', uri, ...args]);

function domainXml(name: string, disk?: { file: string; console: string }): string {
  const devices = disk
    ? `<emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk.file}'/><target dev='vda' bus='virtio'/></disk>
    <channel type='unix'><source mode='bind'/><target type='virtio' name='${AGENT}'/></channel>
    <serial type='file'><source path='${disk.console}'/></serial>
    <memballoon model='none'/>`
    : '';
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/></features>
  <devices>${devices}</devices>
</domain>
`;
}

function define(uri: string, dir: string, name: string, xml: string): void {
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, xml);
  virsh(uri, 'define', file);
}

function forget(uri: string, name: string): void {
  spawnSync('virsh', ['-c', uri, 'destroy', name], { stdio: 'ignore' });
  spawnSync('virsh', ['-c', uri, 'undefine', name], { stdio: 'ignore' });
}

/**
 * Defines `names` as Vagrant machines that were created once and are now shut off, without a
 * box or a VM: a Vagrantfile folder each, and the entries `vagrant global-status` lists, in the
 * machine index Vagrant keeps at VAGRANT_HOME/data/machine-index/index. The format is the one
 * Vagrant 2.3.4 reads and writes (lib/vagrant/machine_index.rb: `unlocked_reload` wants
 * "version" 1 and a "machines" map of ids, `Entry#to_json_struct` names each entry's fields).
 */
function writeMachineIndex(vagrantHome: string, dir: string, names: string[]): void {
  const machines: Record<string, unknown> = {};
  names.forEach((name, index) => {
    const folder = join(dir, name);
    mkdirSync(folder);
    writeFileSync(join(folder, 'Vagrantfile'), `Vagrant.configure("2") { |c| c.vm.box = "debian/bookworm64"; c.vm.define "${name}" }\n`);
    machines[index.toString(16).padStart(32, '0')] = {
      local_data_path: join(folder, '.vagrant'),
      name,
      provider: 'libvirt',
      state: 'shutoff',
      vagrantfile_name: null,
      vagrantfile_path: folder,
      updated_at: null,
      extra_data: {},
    };
  });
  mkdirSync(join(vagrantHome, 'data', 'machine-index'), { recursive: true });
  writeFileSync(join(vagrantHome, 'data', 'machine-index', 'index'), JSON.stringify({ version: 1, machines }));
}

/** `twinbox status --json` with N workspaces vs `virsh list --all` with N stopped domains (and Vagrant's listing). */
async function listing(uri: string | undefined, rounds: number): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const vagrant = spawnSync('which', ['vagrant']).status === 0;
  if (!vagrant) skip('the Vagrant listing peer', 'vagrant is not installed (apt-get install vagrant vagrant-libvirt)');
  for (const count of [1, 10, 100]) {
    const bench = benchHome(`tbx-bench-peer-${count}-`);
    const dir = mkdtempSync(join(tmpdir(), 'tbx-peer-'));
    const names = Array.from({ length: count }, (_, index) => `tbxbench-list-${count}-${index}`);
    try {
      await installManyForBench(bench, count);
      const cases: { label: string; run: () => void }[] = [{ label: 'twinbox', run: () => void ok(process.execPath, [BIN, 'status', '--json'], bench.env) }];
      if (uri) {
        for (const name of names) define(uri, dir, name, domainXml(name));
        cases.push({ label: 'virsh', run: () => void virsh(uri, 'list', '--all') });
      }
      if (vagrant) {
        // Boxes defined, not booted: one Vagrantfile folder per box, each known to global-status.
        const vagrantHome = join(dir, 'vagrant.d');
        writeMachineIndex(vagrantHome, dir, names);
        // The same work on both sides: Vagrant lists every box twinbox lists.
        const listed = ok('vagrant', ['global-status'], { VAGRANT_HOME: vagrantHome });
        const missing = names.filter((name) => !listed.includes(name));
        if (missing.length > 0) throw new Error(`vagrant global-status does not list ${missing.length} of the ${count} boxes defined (first: ${missing[0]})`);
        cases.push({ label: 'vagrant', run: () => void ok('vagrant', ['global-status'], { VAGRANT_HOME: vagrantHome }) });
        cases.push({ label: 'vagrant-status', run: () => void ok('vagrant', ['status'], { VAGRANT_HOME: vagrantHome, VAGRANT_CWD: join(dir, names[0]!) }) });
      }
      if (cases.length === 1) continue;
      const samples = sampleSideBySide(cases, rounds);
      const ours = samples.get('twinbox')!;
      if (samples.has('virsh')) results.push(peer(`listing ${count} stopped: twinbox status --json / virsh list --all`, ours, samples.get('virsh')!, 'twinbox', 'virsh'));
      if (samples.has('vagrant')) results.push(peer(`listing ${count} stopped: twinbox status --json / vagrant global-status`, ours, samples.get('vagrant')!, 'twinbox', 'vagrant'));
      if (samples.has('vagrant-status')) results.push(peer(`listing: twinbox status --json (${count}) / vagrant status in a Vagrantfile folder`, ours, samples.get('vagrant-status')!, 'twinbox', 'vagrant'));
    } finally {
      if (uri) for (const name of names) forget(uri, name);
      removeBenchHome(bench.home);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

function agentAnswers(uri: string, domain: string): boolean {
  return spawnSync('virsh', ['-c', uri, 'qemu-agent-command', domain, '{"execute":"guest-ping"}', '--timeout', '1'], { stdio: 'ignore' }).status === 0;
}

/** `virsh start` and guest-ping until the agent answers: libvirt's start to agent ready. */
function virshStart(uri: string, domain: string): void {
  virsh(uri, 'start', domain);
  const deadline = Date.now() + 180_000;
  while (!agentAnswers(uri, domain)) {
    if (Date.now() > deadline) throw new Error(`the guest agent of ${domain} did not answer within 180 s`);
    spawnSync('sleep', ['0.05']);
  }
}

/** guest-exec of a program with its output captured, then guest-exec-status until it has exited. */
function virshExec(uri: string, domain: string, path: string): string {
  const started = JSON.parse(virsh(uri, 'qemu-agent-command', domain, JSON.stringify({ execute: 'guest-exec', arguments: { path, 'capture-output': true } }))) as { return: { pid: number } };
  for (;;) {
    const status = JSON.parse(virsh(uri, 'qemu-agent-command', domain, JSON.stringify({ execute: 'guest-exec-status', arguments: { pid: started.return.pid } }))) as { return: { exited: boolean; 'out-data'?: string } };
    if (status.return.exited) return Buffer.from(status.return['out-data'] ?? '', 'base64').toString('utf8');
    spawnSync('sleep', ['0.01']);
  }
}

/** The same tiny real guest under twinbox (QEMU plugin) and under libvirt. */
function sameGuest(uri: string, rounds: number): BenchResult[] {
  const image = tinyGuestForBench('the libvirt peers on the tiny guest');
  if (!image) return [];
  const bench = benchHome('tbx-bench-peer-vm-');
  const dir = mkdtempSync(join(tmpdir(), 'tbx-peer-vm-'));
  const domain = 'tbxbench-guest';
  try {
    installTinyGuestWorkspace(bench, image);
    const disk = join(dir, 'disk.qcow2');
    copyFileSync(image, disk);
    // libvirt may run QEMU as its own user: the folder and the disk must be open to it.
    chmodSync(dir, 0o755);
    chmodSync(disk, 0o644);
    define(uri, dir, domain, domainXml(domain, { file: disk, console: join(dir, 'console.log') }));
    const bootRounds = Math.max(3, Math.round(rounds / 5));
    // Start to agent ready, alternating which goes first.
    const starts = sampleSideBySide(
      [
        { label: 'twinbox', run: () => twinbox(bench.env, 'start', 'bench') },
        { label: 'virsh', run: () => virshStart(uri, domain) },
        {
          label: 'stop both',
          run: () => {
            twinbox(bench.env, 'stop', 'bench', '--force');
            spawnSync('virsh', ['-c', uri, 'destroy', domain], { stdio: 'ignore' });
          },
        },
      ],
      bootRounds,
      0,
    );
    twinbox(bench.env, 'start', 'bench');
    virshStart(uri, domain);
    const hello = virshExec(uri, domain, '/usr/bin/hello');
    if (!/Hello/.test(hello)) throw new Error(`guest-exec through virsh printed ${JSON.stringify(hello)}`);
    const running = sampleSideBySide(
      [
        { label: 'status', run: () => void ok(process.execPath, [BIN, 'status', 'bench', '--json'], bench.env) },
        { label: 'domstate', run: () => void virsh(uri, 'domstate', domain) },
        { label: 'ping', run: () => void virsh(uri, 'qemu-agent-command', domain, '{"execute":"guest-ping"}') },
        { label: 'run', run: () => void ok(process.execPath, [BIN, 'run', 'bench', 'hello', '--quiet'], bench.env) },
        { label: 'exec', run: () => void virshExec(uri, domain, '/usr/bin/hello') },
      ],
      rounds,
    );
    return [
      peer('state of a running VM: twinbox status WS --json / virsh domstate', running.get('status')!, running.get('domstate')!, 'twinbox', 'virsh'),
      peer('state of a running VM: twinbox status WS --json / virsh qemu-agent-command guest-ping', running.get('status')!, running.get('ping')!, 'twinbox', 'virsh'),
      peer('a command in the guest: twinbox run WS hello / virsh guest-exec + guest-exec-status', running.get('run')!, running.get('exec')!, 'twinbox', 'virsh'),
      peer('start to guest agent ready: twinbox start / virsh start + guest-ping', starts.get('twinbox')!, starts.get('virsh')!, 'twinbox', 'virsh'),
    ];
  } finally {
    spawnSync(process.execPath, [BIN, 'uninstall', 'bench'], { env: bench.env, stdio: 'ignore' });
    forget(uri, domain);
    removeBenchHome(bench.home);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function peers(rounds: number): Promise<BenchResult[]> {
  const { uri, why } = libvirtUri();
  if (!uri) skip('the libvirt peers', why!);
  const results = await listing(uri, Math.max(3, Math.round(rounds / 2)));
  if (uri) results.push(...sameGuest(uri, Math.max(3, Math.round(rounds / 2))));
  return results;
}
