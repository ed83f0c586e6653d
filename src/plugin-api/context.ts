/**
 * Services the core hands every plugin through its tsyringe child container. Tokens are
 * strings so that a plugin built against its own copy of this module still matches them.
 */
export const Tokens = {
  /** `CommandRunner`: the process boundary. */
  CommandRunner: 'twinbox.CommandRunner',
  /** `PluginPaths`: where the plugin keeps its files. */
  PluginPaths: 'twinbox.PluginPaths',
  /** `PluginLogger`: writes to twinbox's event log. */
  Logger: 'twinbox.Logger',
  /** `Clock`: time, replaceable in tests. */
  Clock: 'twinbox.Clock',
  /** Registered by a hypervisor plugin: its `HypervisorPlugin`. */
  Hypervisor: 'twinbox.Hypervisor',
  /** Registered by a guest-agent plugin: its `GuestAgentPlugin`. */
  GuestAgent: 'twinbox.GuestAgent',
} as const;

export interface PluginPaths {
  /** Persistent folder owned by this plugin (created on demand, mode 0700). */
  dataDir: string;
  /** Short folder for sockets and pid files (unix socket paths must stay under 108 bytes). */
  runtimeDir: string;
  /** Folder for caches the plugin can rebuild (tool versions…). */
  cacheDir: string;
}

export interface PluginLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type FactoryProvider<T> = { useFactory: (container: PluginContainer) => T };
export type ValueProvider<T> = { useValue: T };

/** The part of tsyringe's DependencyContainer a plugin uses. */
export interface PluginContainer {
  register<T>(token: string, provider: FactoryProvider<T> | ValueProvider<T>): unknown;
  resolve<T>(token: string): T;
  isRegistered(token: string, recursive?: boolean): boolean;
}

/** What a plugin's entry module exports. */
export interface PluginModule {
  register(container: PluginContainer): void | Promise<void>;
}
