import { imageRoute, TwinboxError } from '../../../plugin-api/index.js';
import type { Core } from '../../open-core.js';
import type { WorkspaceManifest } from '../manifest-schema.js';

/** The guest-agent plugin the manifest names must be installed here and not broken. */
export async function checkGuestAgent(core: Core, manifest: WorkspaceManifest): Promise<void> {
  const wanted = manifest.guestAgent.plugin;
  const plugin = (await core.plugins.list()).find((report) => report.name === wanted);
  const fail = (message: string) =>
    new TwinboxError('guest-agent-missing', message, {
      hint: 'install that plugin (`twinbox plugins` lists what is here) or fix guestAgent.plugin in workspace.json',
      details: { plugin: wanted },
    });
  if (!plugin) throw fail(`${manifest.name} ${manifest.version} needs the guest-agent plugin "${wanted}", which is not installed here`);
  if (plugin.kind !== 'guest-agent') throw fail(`guestAgent.plugin names "${wanted}", which is a ${plugin.kind} plugin, not a guest-agent plugin`);
  if (plugin.status === 'broken') throw fail(`the guest-agent plugin "${wanted}" is broken: ${plugin.reason}`);
}

export interface UsableHypervisor {
  name: string;
  simulated: boolean;
}

/**
 * Finds a hypervisor that can run the workspace: among hypervisors.allowed (empty: any
 * installed one), preferred ones first, the first that is usable here and imports the image's
 * format. Without one the install is refused, each candidate's reason in the message.
 */
export async function findUsableHypervisor(core: Core, manifest: WorkspaceManifest): Promise<UsableHypervisor> {
  const reports = await core.plugins.list();
  const { allowed, preferred } = manifest.hypervisors;
  const pool = allowed.length > 0 ? allowed : reports.filter((report) => report.kind === 'hypervisor').map((report) => report.name);
  const candidates = [...new Set([...preferred.filter((name) => pool.includes(name)), ...pool])];
  const reasons: string[] = [];
  for (const name of candidates) {
    const report = reports.find((candidate) => candidate.name === name);
    if (!report) {
      reasons.push(`${name}: no such plugin`);
      continue;
    }
    if (report.kind !== 'hypervisor') {
      reasons.push(`${name}: a ${report.kind} plugin, not a hypervisor`);
      continue;
    }
    const availability = await core.plugins.availability(name);
    if (!availability.usable) {
      reasons.push(`${name}: ${availability.reason}`);
      continue;
    }
    const plugin = await core.plugins.hypervisor(name);
    if (!imageRoute(plugin.capabilities(), manifest.image.format)) {
      reasons.push(`${name}: does not take ${manifest.image.format} images`);
      continue;
    }
    return { name, simulated: plugin.simulated };
  }
  const among = allowed.length > 0 ? `among those it allows (${allowed.join(', ')})` : 'on this machine';
  throw new TwinboxError('no-usable-hypervisor', `no usable hypervisor for ${manifest.name} ${manifest.version} ${among}: ${reasons.join('; ') || 'none is installed'}`, {
    hint: 'run `twinbox doctor` to see what is missing and how to install it',
    details: { allowed, reasons },
  });
}
