import type { GuestAgentPlugin, HypervisorPlugin, PluginKind } from '../../plugin-api/index.js';

const HYPERVISOR_METHODS = [
  'detect', 'capabilities', 'importImage', 'create', 'start', 'stop', 'pause', 'suspend', 'resume', 'state',
  'listSnapshots', 'createSnapshot', 'restoreSnapshot', 'deleteSnapshot', 'remove', 'openChannel',
] as const;
const GUEST_AGENT_METHODS = ['connect'] as const;

/** Checks that what a plugin registered has the shape its manifest promised. */
export function validateInstance(instance: unknown, kind: PluginKind, name: string): HypervisorPlugin | GuestAgentPlugin {
  if (typeof instance !== 'object' || instance === null) throw new Error('register() registered something that is not an object');
  const object = instance as Record<string, unknown>;
  if (object.kind !== kind) throw new Error(`the plugin object says kind "${String(object.kind)}" but the manifest says "${kind}"`);
  if (object.name !== name) throw new Error(`the plugin object is named "${String(object.name)}" but the manifest says "${name}"`);
  const required = kind === 'hypervisor' ? HYPERVISOR_METHODS : GUEST_AGENT_METHODS;
  const missing = required.filter((method) => typeof object[method] !== 'function');
  if (missing.length > 0) throw new Error(`the plugin lacks ${missing.join(', ')}`);
  if (typeof object.displayName !== 'string') throw new Error('the plugin has no displayName');
  if (kind === 'guest-agent' && typeof object.channelName !== 'string') throw new Error('the guest-agent plugin has no channelName');
  return instance as HypervisorPlugin | GuestAgentPlugin;
}
