/** Tokens of the core's own services in the root container (plugins see only plugin-api Tokens). */
export const CoreTokens = {
  Paths: 'core.Paths',
  /** The settings and the event log, opened together: the log's level is a setting. */
  OpenedSettings: 'core.OpenedSettings',
  Settings: 'core.Settings',
  EventLog: 'core.EventLog',
  PluginRegistry: 'core.PluginRegistry',
  Environment: 'core.Environment',
} as const;
