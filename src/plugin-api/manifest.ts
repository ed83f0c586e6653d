import { parseSemver, versionSatisfies } from './versions.js';

/** The plugin API version this build of twinbox offers. Plugins declare the version they were built against. */
export const PLUGIN_API_VERSION = '1.3.0';

export const PLUGIN_KINDS = ['hypervisor', 'guest-agent'] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/** The `twinbox` field of a plugin's package.json. */
export interface PluginManifest {
  name: string;
  kind: PluginKind;
  /** Semver of the plugin API the plugin was built against, e.g. "1.0.0". */
  apiVersion: string;
  /** Module to import, relative to the plugin folder. */
  entry: string;
  displayName?: string;
}

/** Plugin and workspace names: lowercase letters, digits and dashes, starting with a letter. */
export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * A plugin built against API a.b.c runs on a host offering A.B.C when the host's version is in
 * the caret range ^a.b.c (semver's rule: same major, no newer minor or patch than the host
 * has). Returns the reason when it is not compatible.
 */
export function apiIncompatibility(pluginApi: string, hostApi: string = PLUGIN_API_VERSION): string | undefined {
  const plugin = parseSemver(pluginApi);
  const host = parseSemver(hostApi);
  if (!plugin) return `apiVersion "${pluginApi}" is not a semver version like "1.0.0"`;
  if (!host) throw new Error(`host API version ${hostApi} is not semver`);
  if (plugin.major !== host.major) {
    return `built for plugin API ${pluginApi}, but twinbox offers ${hostApi} (major versions differ)`;
  }
  if (!versionSatisfies(hostApi, `^${pluginApi}`)) {
    return `needs plugin API ${pluginApi}, newer than ${hostApi} offered by this twinbox (upgrade twinbox)`;
  }
  return undefined;
}
