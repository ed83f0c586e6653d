import type { Duplex } from 'node:stream';
import type { CommandRunner } from './command-runner.js';
import { Tokens, type Clock, type PluginContainer, type PluginLogger, type PluginPaths } from './context.js';
import { checkCreateFormat, checkSpecLimits, type SpecLimits } from './guards.js';
import type {
  Availability,
  DiskFormat,
  FolderSharingSupport,
  ForwardedPort,
  HypervisorCapabilities,
  HypervisorPlugin,
  ImportedImage,
  ImportImageRequest,
  OperationOptions,
  SnapshotInfo,
  StartOptions,
  StopOptions,
  StopResult,
  VmDisplay,
  VmMetrics,
  VmRef,
  VmSpec,
  VmStatus,
} from './hypervisor.js';

/** The core's services a hypervisor plugin is built from. */
export interface PluginServices {
  runner: CommandRunner;
  paths: PluginPaths;
  clock: Clock;
  /** twinbox's event log for this plugin; a silent one where the core registered none. */
  logger: PluginLogger;
}

const SILENT_LOGGER: PluginLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function pluginServices(container: PluginContainer): PluginServices {
  return {
    runner: container.resolve<CommandRunner>(Tokens.CommandRunner),
    paths: container.resolve<PluginPaths>(Tokens.PluginPaths),
    clock: container.resolve<Clock>(Tokens.Clock),
    logger: container.isRegistered(Tokens.Logger, true) ? container.resolve<PluginLogger>(Tokens.Logger) : SILENT_LOGGER,
  };
}

/**
 * The entry module's `register(container)`: builds the one plugin object from the core's
 * services when twinbox's loader registers the plugin (once per process), and registers that
 * object, so every resolve gives the same one, with its caches and tool sessions.
 */
export function registerHypervisor(build: (services: PluginServices) => HypervisorPlugin): (container: PluginContainer) => void {
  return (container) => {
    container.register<HypervisorPlugin>(Tokens.Hypervisor, { useValue: build(pluginServices(container)) });
  };
}

/** Whether the hypervisor is usable here, and what a VM's state is (Vagrant's provider). */
export interface HypervisorProvider<C> {
  detect(context: C): Promise<Availability>;
  state(context: C, vm: VmRef): Promise<VmStatus>;
}

/** What the plugin does for each action, given its context first. */
export interface HypervisorActions<C> {
  importImage(context: C, request: ImportImageRequest, options?: OperationOptions): Promise<ImportedImage>;
  create(context: C, spec: VmSpec, options?: OperationOptions): Promise<VmRef>;
  start(context: C, vm: VmRef, options?: StartOptions): Promise<void>;
  stop(context: C, vm: VmRef, options?: StopOptions): Promise<StopResult>;
  pause(context: C, vm: VmRef): Promise<void>;
  suspend(context: C, vm: VmRef, options?: OperationOptions): Promise<void>;
  resume(context: C, vm: VmRef, options?: OperationOptions): Promise<void>;
  remove(context: C, vm: VmRef): Promise<void>;
  listSnapshots(context: C, vm: VmRef): Promise<SnapshotInfo[]>;
  createSnapshot(context: C, vm: VmRef, name: string): Promise<void>;
  restoreSnapshot(context: C, vm: VmRef, name: string): Promise<void>;
  deleteSnapshot(context: C, vm: VmRef, name: string): Promise<void>;
}

/** The channels into the guest, and the optional capabilities the plugin has (left out: it has none). */
export interface HypervisorCaps<C> {
  openChannel(context: C, vm: VmRef, name: string): Promise<Duplex>;
  display?(context: C, vm: VmRef): Promise<VmDisplay | undefined>;
  forwardPort?(context: C, vm: VmRef, guestPort: number): Promise<ForwardedPort | undefined>;
  consoleTail?(context: C, vm: VmRef): Promise<string | undefined>;
  metrics?(context: C, vm: VmRef): Promise<VmMetrics | undefined>;
}

const OPTIONAL_CAPS = ['display', 'forwardPort', 'consoleTail', 'metrics'] as const;

/** Capabilities as a defined plugin states them: `createFormats` is not optional. */
export type DefinedCapabilities = HypervisorCapabilities & { createFormats: readonly DiskFormat[] };

/** What makes one hypervisor plugin different from another; everything else is the same. */
export interface HypervisorDefinition<C, O, K extends HypervisorCaps<C>> {
  name: string;
  /** Shown to users, and in the words of the common checks ("VirtualBox offers 4 serial ports"). */
  displayName: string;
  simulated?: boolean;
  /** What every action works with (its driver, settings), built once per plugin object from the constructor's options. */
  context(options: O): C;
  /** Fixed for the plugin object's life, so computed once from its context where they depend on the host. */
  capabilities: DefinedCapabilities | ((context: C) => DefinedCapabilities);
  /** Checked before `create` runs, together with `createFormats`. */
  limits?: SpecLimits;
  /** How it shares host folders (API 1.3); left out: none of its own. */
  folderSharing?: FolderSharingSupport;
  provider: HypervisorProvider<C>;
  actions: HypervisorActions<C>;
  caps: K;
}

type WithoutContext<F> = F extends (context: never, ...args: infer A) => infer R ? (...args: A) => R : never;

/** A defined plugin: the whole `HypervisorPlugin`, the optional capabilities it defines, and its context. */
export type DefinedHypervisor<C, K> = HypervisorPlugin & { readonly context: C; readonly folderSharing: FolderSharingSupport } & { [M in keyof K]-?: WithoutContext<K[M]> };

/**
 * A hypervisor plugin class from what is particular to it: identity, capabilities, limits,
 * how its context is built, and one function per provider question, action and capability
 * (each given the context first). The class answers the plugin API, applies the common checks
 * (`limits`, `createFormats`) and has exactly the optional capabilities the definition has.
 * A plugin adds its own methods (test hooks, `dispose`) by extending it.
 */
export function defineHypervisorPlugin<C, O, K extends HypervisorCaps<C>>(definition: HypervisorDefinition<C, O, K>): new (options: O) => DefinedHypervisor<C, K> {
  const { provider, actions, caps, limits, displayName } = definition;
  class DefinedPlugin implements HypervisorPlugin {
    readonly kind = 'hypervisor' as const;
    readonly name = definition.name;
    readonly displayName = displayName;
    readonly simulated = definition.simulated ?? false;
    readonly context: C;
    readonly #capabilities: DefinedCapabilities;
    readonly folderSharing: FolderSharingSupport = Object.freeze({ ways: Object.freeze([...(definition.folderSharing?.ways ?? [])]), ...(definition.folderSharing?.note ? { note: definition.folderSharing.note } : {}) });

    constructor(options: O) {
      this.context = definition.context(options);
      const capabilities = typeof definition.capabilities === 'function' ? definition.capabilities(this.context) : definition.capabilities;
      this.#capabilities = Object.freeze({ ...capabilities });
    }

    detect(): Promise<Availability> {
      return provider.detect(this.context);
    }

    capabilities(): DefinedCapabilities {
      return this.#capabilities;
    }

    state(vm: VmRef): Promise<VmStatus> {
      return provider.state(this.context, vm);
    }

    importImage(request: ImportImageRequest, options?: OperationOptions): Promise<ImportedImage> {
      return actions.importImage(this.context, request, options);
    }

    async create(spec: VmSpec, options?: OperationOptions): Promise<VmRef> {
      if (limits) checkSpecLimits(spec, limits, displayName);
      checkCreateFormat(spec.image, this.#capabilities.createFormats, displayName);
      return actions.create(this.context, spec, options);
    }

    start(vm: VmRef, options?: StartOptions): Promise<void> {
      return actions.start(this.context, vm, options);
    }

    stop(vm: VmRef, options?: StopOptions): Promise<StopResult> {
      return actions.stop(this.context, vm, options);
    }

    pause(vm: VmRef): Promise<void> {
      return actions.pause(this.context, vm);
    }

    suspend(vm: VmRef, options?: OperationOptions): Promise<void> {
      return actions.suspend(this.context, vm, options);
    }

    resume(vm: VmRef, options?: OperationOptions): Promise<void> {
      return actions.resume(this.context, vm, options);
    }

    remove(vm: VmRef): Promise<void> {
      return actions.remove(this.context, vm);
    }

    listSnapshots(vm: VmRef): Promise<SnapshotInfo[]> {
      return actions.listSnapshots(this.context, vm);
    }

    createSnapshot(vm: VmRef, name: string): Promise<void> {
      return actions.createSnapshot(this.context, vm, name);
    }

    restoreSnapshot(vm: VmRef, name: string): Promise<void> {
      return actions.restoreSnapshot(this.context, vm, name);
    }

    deleteSnapshot(vm: VmRef, name: string): Promise<void> {
      return actions.deleteSnapshot(this.context, vm, name);
    }

    openChannel(vm: VmRef, name: string): Promise<Duplex> {
      return caps.openChannel(this.context, vm, name);
    }
  }
  // The core asks `plugin.display?.(vm)`: a capability the definition leaves out must be absent.
  for (const method of OPTIONAL_CAPS) {
    const implementation = caps[method] as ((context: C, ...args: unknown[]) => Promise<unknown>) | undefined;
    if (!implementation) continue;
    Object.defineProperty(DefinedPlugin.prototype, method, {
      value: function (this: DefinedPlugin, ...args: unknown[]) {
        return implementation.call(caps, this.context, ...args);
      },
      writable: true,
      configurable: true,
    });
  }
  return DefinedPlugin as unknown as new (options: O) => DefinedHypervisor<C, K>;
}
