import type { Clock, CommandRunner, PluginPaths } from 'twinbox/plugin-api';
import type { VmIndex } from './vm-index.js';

/** What the fake hypervisor's operations share. */
export interface FakeContext {
  runner: CommandRunner;
  paths: PluginPaths;
  clock: Clock;
  index: VmIndex;
  /** The compiled guest program (guest/main.js). */
  guestMain: string;
}

/** How often waits look at the record and the process again. */
export const POLL_MS = 25;

/** The one channel the fake guest offers: where qemu-ga listens on a real QEMU VM. */
export const AGENT_CHANNEL = 'org.qemu.guest_agent.0';
