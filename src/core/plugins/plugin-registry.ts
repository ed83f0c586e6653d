import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DependencyContainer } from 'tsyringe';
import {
  apiIncompatibility,
  Tokens,
  TwinboxError,
  type Availability,
  type GuestAgentPlugin,
  type HypervisorPlugin,
  type PluginContainer,
  type PluginKind,
  type PluginModule,
  type PluginPaths,
} from '../../plugin-api/index.js';
import type { TwinboxPaths } from '../paths.js';
import type { EventLog } from '../events/event-log.js';
import type { PluginAllowlist } from '../policy/plugin-allowlist.js';
import { discoverPlugins, type DiscoveryOptions, type PluginSource } from './discover.js';
import { ManifestError, readManifest } from './read-manifest.js';
import { validateInstance } from './validate-instance.js';
import { reasonOf } from '../error-reason.js';
import { withTimeout } from '../with-timeout.js';

export type PluginStatus = 'loaded' | 'unavailable' | 'broken' | 'denied';

/** What `twinbox plugins` shows for one plugin. */
export interface PluginReport {
  name: string;
  kind: PluginKind | 'unknown';
  displayName: string;
  version: string;
  apiVersion: string;
  status: PluginStatus;
  reason: string;
  source: PluginSource;
  dir: string;
  simulated?: boolean;
  details?: Record<string, string>;
}

type Instance = HypervisorPlugin | GuestAgentPlugin;

interface Entry {
  report: PluginReport;
  entryPath?: string;
  instance?: Promise<Instance>;
}

const DEFAULT_DETECT_TIMEOUT_MS = 10_000;

/**
 * Finds plugins, reads their manifests, and imports one only when it is needed. A plugin that
 * fails in any way is reported as broken with the reason; it never takes twinbox down.
 */
export class PluginRegistry {
  private entries?: Promise<Map<string, Entry>>;

  constructor(
    private readonly root: DependencyContainer,
    private readonly paths: TwinboxPaths,
    private readonly events: EventLog,
    private readonly discovery: DiscoveryOptions,
    private readonly detectTimeoutMs = DEFAULT_DETECT_TIMEOUT_MS,
    /** Plugins not on it are never imported; undefined allows all. */
    private readonly allowlist?: PluginAllowlist,
  ) {}

  private index(): Promise<Map<string, Entry>> {
    this.entries ??= this.scan();
    return this.entries;
  }

  private async scan(): Promise<Map<string, Entry>> {
    const entries = new Map<string, Entry>();
    let anonymous = 0;
    for (const candidate of await discoverPlugins(this.discovery)) {
      const base: PluginReport = {
        name: `unnamed-${++anonymous}`,
        kind: 'unknown',
        displayName: candidate.dir,
        version: '',
        apiVersion: '',
        status: 'broken',
        reason: '',
        source: candidate.source,
        dir: candidate.dir,
      };
      try {
        const { manifest, version, entryPath } = await readManifest(candidate.dir);
        const report: PluginReport = {
          ...base,
          name: manifest.name,
          kind: manifest.kind,
          displayName: manifest.displayName ?? manifest.name,
          version,
          apiVersion: manifest.apiVersion,
          status: 'loaded',
          reason: 'not loaded yet',
        };
        const existing = entries.get(manifest.name);
        if (existing) {
          report.status = 'broken';
          report.reason = `duplicate plugin name "${manifest.name}": ${existing.report.dir} (${existing.report.source}) is used`;
          entries.set(`${manifest.name}@${candidate.dir}`, { report });
          continue;
        }
        if (this.allowlist && !this.allowlist.names.includes(manifest.name)) {
          report.status = 'denied';
          report.reason = `not allowed by ${this.allowlist.by}`;
          entries.set(manifest.name, { report });
          continue;
        }
        const incompatible = apiIncompatibility(manifest.apiVersion);
        if (incompatible) {
          report.status = 'broken';
          report.reason = incompatible;
          entries.set(manifest.name, { report });
          continue;
        }
        entries.set(manifest.name, { report, entryPath });
      } catch (error) {
        if (!(error instanceof ManifestError)) throw error;
        base.reason = `bad manifest: ${error.message}`;
        entries.set(`${base.name}@${candidate.dir}`, { report: base });
      }
    }
    for (const { report } of entries.values()) {
      if (report.status === 'broken') this.events.write('warn', 'plugin', `plugin ${report.name} is broken: ${report.reason}`, { dir: report.dir });
    }
    return entries;
  }

  /** Manifests only: imports nothing. */
  async list(): Promise<PluginReport[]> {
    return [...(await this.index()).values()].map((entry) => ({ ...entry.report }));
  }

  /** Imports every plugin and asks each hypervisor whether it is usable here. */
  async reports(): Promise<PluginReport[]> {
    const entries = [...(await this.index()).values()];
    return Promise.all(entries.map((entry) => this.assess(entry)));
  }

  private async assess(entry: Entry): Promise<PluginReport> {
    const report = { ...entry.report };
    if (!entry.entryPath) return report;
    try {
      const instance = await this.instantiate(entry);
      report.displayName = instance.displayName;
      if (instance.kind === 'hypervisor') {
        report.simulated = instance.simulated;
        const availability = await withTimeout(instance.detect(), this.detectTimeoutMs, `detect() did not answer within ${this.detectTimeoutMs / 1000} s`);
        report.status = availability.usable ? 'loaded' : 'unavailable';
        report.reason = availability.reason;
        if (availability.version) report.details = { version: availability.version, ...availability.details };
        else if (availability.details) report.details = availability.details;
      } else {
        report.reason = `speaks over the "${instance.channelName}" channel`;
      }
    } catch (error) {
      report.status = 'broken';
      report.reason = reasonOf(error);
    }
    return report;
  }

  async hypervisor(name: string): Promise<HypervisorPlugin> {
    return this.get(name, 'hypervisor') as Promise<HypervisorPlugin>;
  }

  async guestAgent(name: string): Promise<GuestAgentPlugin> {
    return this.get(name, 'guest-agent') as Promise<GuestAgentPlugin>;
  }

  /** Detects a hypervisor plugin; broken plugins answer unusable with the reason. */
  async availability(name: string): Promise<Availability> {
    const entry = (await this.index()).get(name);
    if (!entry) return { usable: false, reason: `no plugin named "${name}"` };
    const report = await this.assess(entry);
    return { usable: report.status === 'loaded', reason: report.reason, version: report.details?.version };
  }

  private async get(name: string, kind: PluginKind): Promise<Instance> {
    const entry = (await this.index()).get(name);
    if (!entry) {
      throw new TwinboxError('plugin-not-found', `no ${kind} plugin named "${name}"`, {
        hint: 'run `twinbox plugins` to see the installed plugins',
        exit: 'usage',
      });
    }
    if (entry.report.kind !== kind) {
      throw new TwinboxError('plugin-kind', `plugin "${name}" is a ${entry.report.kind} plugin, not a ${kind} plugin`, { exit: 'usage' });
    }
    if (entry.report.status === 'denied') {
      throw new TwinboxError('plugin-denied', `plugin "${name}" is ${entry.report.reason}`, {
        hint: 'ask your administrator to add it to plugins.allowed',
        exit: 'denied',
      });
    }
    if (!entry.entryPath) {
      throw new TwinboxError('plugin-broken', `plugin "${name}" is broken: ${entry.report.reason}`, {
        hint: 'run `twinbox plugins` for details; fix or remove the plugin',
      });
    }
    try {
      return await this.instantiate(entry);
    } catch (error) {
      throw new TwinboxError('plugin-broken', `plugin "${name}" is broken: ${reasonOf(error)}`, {
        hint: 'run `twinbox plugins` for details; fix or remove the plugin',
        cause: error,
      });
    }
  }

  private instantiate(entry: Entry): Promise<Instance> {
    entry.instance ??= this.load(entry).catch((error: unknown) => {
      this.events.write('error', 'plugin', `plugin ${entry.report.name} failed to load: ${reasonOf(error)}`, { dir: entry.report.dir });
      throw error;
    });
    return entry.instance;
  }

  private async load(entry: Entry): Promise<Instance> {
    const { report } = entry;
    let module: Partial<PluginModule>;
    try {
      module = (await import(pathToFileURL(entry.entryPath!).href)) as Partial<PluginModule>;
    } catch (error) {
      throw new Error(`import of ${report.dir} failed: ${reasonOf(error)}`);
    }
    if (typeof module.register !== 'function') {
      throw new Error('the entry module exports no register(container) function');
    }
    const child = this.root.createChildContainer();
    const paths: PluginPaths = {
      dataDir: join(this.paths.dataDir, 'plugins', report.name),
      cacheDir: join(this.paths.cacheDir, 'plugins', report.name),
      runtimeDir: join(this.paths.runtimeDir, report.name),
    };
    for (const dir of [paths.dataDir, paths.cacheDir, paths.runtimeDir]) mkdirSync(dir, { recursive: true, mode: 0o700 });
    child.register(Tokens.PluginPaths, { useValue: paths });
    child.register(Tokens.Logger, { useValue: this.events.forPlugin(report.name) });
    try {
      await module.register(child as unknown as PluginContainer);
    } catch (error) {
      throw new Error(`register() threw: ${reasonOf(error)}`);
    }
    const token = report.kind === 'hypervisor' ? Tokens.Hypervisor : Tokens.GuestAgent;
    if (!child.isRegistered(token)) throw new Error(`register() did not register ${token}`);
    let instance: unknown;
    try {
      instance = child.resolve(token);
    } catch (error) {
      throw new Error(`creating the plugin failed: ${reasonOf(error)}`);
    }
    return validateInstance(instance, report.kind as PluginKind, report.name);
  }
}
