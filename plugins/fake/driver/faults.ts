/**
 * Misbehaviour a fake VM can be told to show, so that the code above the hypervisor can be
 * tested against the failures real VMs produce. Persisted with the VM, so a fault set by one
 * process is seen by the guest process and by every other twinbox process.
 */
export interface FakeFaults {
  /** The guest takes this long to boot before it reports running. */
  bootDelayMs: number;
  /** The VM process fails at start with this message. */
  startFailure: string | undefined;
  /** The guest agent accepts connections but never answers anything (not even guest-shutdown). */
  agentSilent: boolean;
  /** The guest agent writes a junk line before every reply, like a serial port with stale bytes. */
  agentGarbage: boolean;
  /** The guest process dies abruptly (exit code 1) this long after it reports running. */
  crashAfterMs: number | undefined;
  /** The guest takes this long to act on guest-shutdown. */
  slowStopMs: number;
}

export const NO_FAULTS: FakeFaults = {
  bootDelayMs: 0,
  startFailure: undefined,
  agentSilent: false,
  agentGarbage: false,
  crashAfterMs: undefined,
  slowStopMs: 0,
};

function nonNegative(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** Reads faults from JSON written by any version of the plugin, dropping what makes no sense. */
export function normalizeFaults(value: unknown): FakeFaults {
  const raw = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return {
    bootDelayMs: nonNegative(raw.bootDelayMs, 0),
    startFailure: typeof raw.startFailure === 'string' && raw.startFailure !== '' ? raw.startFailure : undefined,
    agentSilent: raw.agentSilent === true,
    agentGarbage: raw.agentGarbage === true,
    crashAfterMs: raw.crashAfterMs === undefined ? undefined : nonNegative(raw.crashAfterMs, 0),
    slowStopMs: nonNegative(raw.slowStopMs, 0),
  };
}

/** `undefined` in the patch clears a fault back to its default. */
export function mergeFaults(current: FakeFaults, patch: Partial<FakeFaults>): FakeFaults {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    merged[key] = value === undefined ? NO_FAULTS[key as keyof FakeFaults] : value;
  }
  return normalizeFaults(merged);
}
