import type { Settings } from '../settings/settings.js';

/** Which plugins may be loaded, and who said so (for the reason `twinbox plugins` shows). */
export interface PluginAllowlist {
  names: readonly string[];
  /** "policy (<file>)" or "the plugins.allowed setting (<file>)". */
  by: string;
}

/** Undefined when every plugin is allowed (plugins.allowed empty or unset). */
export function pluginAllowlist(settings: Settings): PluginAllowlist | undefined {
  const names = settings.get('plugins.allowed');
  if (names.length === 0) return undefined;
  const { source } = settings.describe('plugins.allowed');
  const by = source.startsWith('policy:') ? `policy (${source.slice('policy:'.length)})` : `the plugins.allowed setting (${settings.path})`;
  return { names, by };
}
