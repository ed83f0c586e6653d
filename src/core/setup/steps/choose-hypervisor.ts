import type { HypervisorPlugin } from '../../../plugin-api/index.js';
import { EventCodes } from '../../events/codes.js';
import type { WorkspaceManifest } from '../../package/manifest-schema.js';
import type { PluginRegistry } from '../../plugins/plugin-registry.js';
import { reasonOf } from '../../error-reason.js';
import { notRetryable, STEP, type SetupRun } from '../setup-run-context.js';
import type { SetupStep } from '../step-runner.js';

interface Choice {
  name: string;
  rejected: string[];
}

/**
 * The manifest's preferred hypervisors in order, then its allowed ones; with no allowed list,
 * any installed hypervisor plugin. A simulated hypervisor (the fake) is only taken when the
 * manifest names it: a workspace must never end up on a pretend VM by accident.
 */
async function candidates(plugins: PluginRegistry, hypervisors: WorkspaceManifest['hypervisors']): Promise<{ names: string[]; named: Set<string> }> {
  const named = new Set([...hypervisors.preferred, ...hypervisors.allowed]);
  const installed = (await plugins.list()).filter((plugin) => plugin.kind === 'hypervisor').map((plugin) => plugin.name);
  const rest = hypervisors.allowed.length > 0 ? hypervisors.allowed : installed;
  const ordered = [...new Set([...hypervisors.preferred, ...rest])];
  const names = hypervisors.allowed.length > 0 ? ordered.filter((name) => hypervisors.allowed.includes(name)) : ordered;
  return { names, named };
}

async function usable(plugins: PluginRegistry, name: string, named: boolean, manifest: WorkspaceManifest): Promise<string | HypervisorPlugin> {
  const availability = await plugins.availability(name);
  if (!availability.usable) return availability.reason;
  const hypervisor = await plugins.hypervisor(name);
  if (hypervisor.simulated && !named) return 'simulated: only used when workspace.json names it';
  const capabilities = hypervisor.capabilities();
  if (!capabilities.channels) return 'offers no channel for the guest agent';
  if (!capabilities.importFormats.includes(manifest.image.format)) return `cannot use ${manifest.image.format} images`;
  return hypervisor;
}

export async function chooseHypervisor(plugins: PluginRegistry, manifest: WorkspaceManifest): Promise<Choice> {
  const { names, named } = await candidates(plugins, manifest.hypervisors);
  const rejected: string[] = [];
  for (const name of names) {
    const verdict = await usable(plugins, name, named.has(name), manifest).catch(reasonOf);
    if (typeof verdict !== 'string') return { name, rejected };
    rejected.push(`${name}: ${verdict}`);
  }
  throw notRetryable(
    'no-usable-hypervisor',
    `no hypervisor here can run workspace "${manifest.name}"${rejected.length > 0 ? ` (${rejected.join('; ')})` : ''}`,
    'run `twinbox doctor` to see what is missing and how to install it',
  );
}

export function chooseHypervisorStep(run: SetupRun): SetupStep {
  return {
    id: STEP.hypervisor,
    title: 'Choose a hypervisor',
    weight: 1,
    failureCode: EventCodes.setupNoHypervisor,
    async run(context) {
      const chosen = typeof context.saved?.name === 'string' ? context.saved.name : undefined;
      if (chosen) return { name: chosen };
      const { name, rejected } = await chooseHypervisor(run.ws.core.plugins, run.manifest);
      for (const reason of rejected) context.log('info', `passed over ${reason}`);
      context.log('info', `using the ${name} hypervisor`);
      if (!run.upgrading) await run.ws.update((entry) => ({ ...entry, hypervisor: name }));
      return { name };
    },
  };
}
