import test from 'ava';
import type { HypervisorPlugin } from '../../../src/plugin-api/index.js';
import { sharingChecks } from '../../../src/core/doctor/sharing-check.js';
import type { PluginRegistry } from '../../../src/core/plugins/plugin-registry.js';
import { workspaceManifestSchema, type WorkspaceManifestInput } from '../../../src/core/package/manifest-schema.js';
import { createQemuHypervisor } from '../../../plugins/qemu/index.js';
import { HyperVPlugin } from '../../../plugins/hyperv/plugin.js';
import { VirtualBoxPlugin } from '../../../plugins/virtualbox/plugin.js';

const services = { runner: {} as never, paths: { dataDir: '/d', runtimeDir: '/r', cacheDir: '/c' }, clock: { now: () => 0, sleep: async () => undefined }, logger: { debug() {}, info() {}, warn() {}, error() {} } };

/** The real plugin objects (their folderSharing is what is checked); none is asked to do anything. */
const PLUGINS: Record<string, HypervisorPlugin> = {
  qemu: createQemuHypervisor(services),
  virtualbox: new VirtualBoxPlugin(services as never),
  hyperv: new HyperVPlugin(services as never),
};
const registry = { hypervisor: async (name: string) => PLUGINS[name] ?? Promise.reject(new Error(`no plugin ${name}`)) } as unknown as PluginRegistry;

function manifest(extra: Partial<WorkspaceManifestInput>) {
  return async () => workspaceManifestSchema.parse({ name: 'office', version: '1.0.0', image: { file: 'disk.qcow2', format: 'qcow2', sha256: '0'.repeat(64) }, ...extra });
}

const FOLDERS = [
  { host: '~/Documents', guest: '/mnt/documents' },
  { host: '~/Manuals', guest: '/mnt/manuals', readOnly: true },
  { host: '~/Scans', guest: '\\\\tsclient\\scans' },
];

test('QEMU: 9p for POSIX guest paths; a \\\\tsclient folder needs a guest that offers RDP', async (t) => {
  const [check] = await sharingChecks(registry, [{ name: 'office', hypervisor: 'qemu', manifest: manifest({ sharedFolders: FOLDERS }) }]);
  t.is(check?.check, 'sharing office');
  t.is(check?.status, 'warning');
  t.is(
    check?.detail,
    'QEMU: ~/Documents → /mnt/documents: 9p export mounted at start; ~/Manuals → /mnt/manuals: 9p export mounted at start, read-only; ~/Scans → \\\\tsclient\\scans: not shared: a \\\\tsclient path needs a guest that offers RDP (the package has no rdp section)',
  );
  const [rdp] = await sharingChecks(registry, [{ name: 'office', hypervisor: 'qemu', manifest: manifest({ sharedFolders: FOLDERS, rdp: { user: 'ann' } }) }]);
  t.is(rdp?.status, 'ok');
  t.regex(rdp?.detail ?? '', /\\\\tsclient\\scans: RDP drive \(FreeRDP \/drive:\)/);
});

test('VirtualBox and Hyper-V say why a POSIX guest path is not shared, with the fix', async (t) => {
  const checks = await sharingChecks(registry, [
    { name: 'vb', hypervisor: 'virtualbox', manifest: manifest({ sharedFolders: FOLDERS.slice(0, 1) }) },
    { name: 'hv', hypervisor: 'hyperv', manifest: manifest({ sharedFolders: FOLDERS.slice(0, 1) }) },
  ]);
  t.deepEqual(checks.map((check) => check.status), ['warning', 'warning']);
  t.regex(checks[0]!.detail, /^VirtualBox: ~\/Documents → \/mnt\/documents: not shared by VirtualBox \(VirtualBox shared folders .* need the Guest Additions .* not supported yet/);
  t.regex(checks[1]!.detail, /^Hyper-V: ~\/Documents → \/mnt\/documents: not shared by Hyper-V \(Hyper-V shares folders only as RDP drives/);
  t.regex(checks[0]!.fix ?? '', /mount \/mnt\/documents in the guest from the package's setup scripts/);
});

test('no line for a package without shared folders; one not set up yet uses its preferred hypervisor; an unreadable package is a warning', async (t) => {
  const checks = await sharingChecks(registry, [
    { name: 'plain', manifest: manifest({}) },
    { name: 'fresh', manifest: manifest({ sharedFolders: FOLDERS.slice(0, 1), hypervisors: { preferred: ['qemu'] } }) },
    { name: 'anywhere', manifest: manifest({ sharedFolders: FOLDERS.slice(0, 1) }) },
    { name: 'broken', manifest: async () => Promise.reject(new Error('workspace.json is damaged')) },
  ]);
  t.deepEqual(checks.map((check) => check.check), ['sharing fresh', 'sharing anywhere', 'sharing broken']);
  t.regex(checks[0]!.detail, /^QEMU: .*9p export/);
  t.regex(checks[1]!.detail, /depends on the hypervisor setup picks/);
  t.is(checks[2]!.detail, 'its package cannot be read: workspace.json is damaged');
});
