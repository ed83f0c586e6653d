import type { LogLevel } from '../events/event-log.js';

/** An event the policy loader asks to be written once the event log exists. */
export interface PolicyNotice {
  level: LogLevel;
  /** A stable event code, when the event has one. */
  code?: number;
  message: string;
  fields: Record<string, unknown>;
}
