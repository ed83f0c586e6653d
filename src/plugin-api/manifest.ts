/** The plugin API version this build of twinbox offers. Plugins declare the version they were built against. */
export const PLUGIN_API_VERSION = '1.2.0';

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

function parseSemver(version: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/**
 * A plugin built against API a.b.c runs on a host offering A.B.C when the majors match and
 * the plugin needs no newer minor than the host has (semver's caret rule). Returns the reason
 * when it is not compatible.
 */
export function apiIncompatibility(pluginApi: string, hostApi: string = PLUGIN_API_VERSION): string | undefined {
  const plugin = parseSemver(pluginApi);
  const host = parseSemver(hostApi);
  if (!plugin) return `apiVersion "${pluginApi}" is not a semver version like "1.0.0"`;
  if (!host) throw new Error(`host API version ${hostApi} is not semver`);
  if (plugin[0] !== host[0]) {
    return `built for plugin API ${pluginApi}, but twinbox offers ${hostApi} (major versions differ)`;
  }
  if (plugin[1] > host[1] || (plugin[1] === host[1] && plugin[2] > host[2])) {
    return `needs plugin API ${pluginApi}, newer than ${hostApi} offered by this twinbox (upgrade twinbox)`;
  }
  return undefined;
}
