import { nextOccurrence, parseCalendar } from './calendar.js';
import type { MaintenanceRecord } from './maintenance-record.js';

export type DueCheck = { kind: 'none' } | { kind: 'wait'; next: Date } | { kind: 'due'; slot: Date } | { kind: 'missed'; slot: Date };

/**
 * Whether a window is due now. The next one comes after the last scheduled time handled (run,
 * skipped or missed), or, when none ever was, after `since` (when the agent first saw the
 * schedule): a window missed while the agent was not running is run when it starts, as long as
 * that window has not closed yet; once closed it is recorded as missed, never run late.
 */
export function maintenanceDue(schedule: string, record: MaintenanceRecord, since: number, now: number, windowMs: number): DueCheck {
  if (schedule === '') return { kind: 'none' };
  const event = parseCalendar(schedule);
  const last = record.lastSlot ? Date.parse(record.lastSlot) : NaN;
  const next = nextOccurrence(event, new Date(Number.isFinite(last) ? last : since));
  if (next.getTime() > now) return { kind: 'wait', next };
  // Of several slots passed, the latest is the one that counts.
  let slot = next;
  for (let later = nextOccurrence(event, slot); later.getTime() <= now; later = nextOccurrence(event, later)) slot = later;
  return slot.getTime() + windowMs > now ? { kind: 'due', slot } : { kind: 'missed', slot };
}

/** When the next window opens after `now`, for status; undefined with no schedule. */
export function nextWindow(schedule: string, now: number): Date | undefined {
  if (schedule === '') return undefined;
  return nextOccurrence(parseCalendar(schedule), new Date(now));
}
