/** Tokens of the core's own services in the root container (plugins see only plugin-api Tokens). */
export const CoreTokens = {
  Paths: 'core.Paths',
  Settings: 'core.Settings',
  EventLog: 'core.EventLog',
  PluginRegistry: 'core.PluginRegistry',
  Environment: 'core.Environment',
} as const;
