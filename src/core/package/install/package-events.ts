import type { Core } from '../../open-core.js';
import { EventCodes, type EventCodeName } from '../../events/codes.js';
import { EventLog, type LogLevel } from '../../events/event-log.js';

/**
 * Records a package event in the main log and, when the workspace exists on this host, in its
 * own log, where the admin toolkit and monitoring look for it.
 */
export function recordPackageEvent(
  core: Core,
  level: LogLevel,
  name: EventCodeName,
  message: string,
  fields: Record<string, unknown>,
  workspaceEventsFile?: string,
): void {
  core.events.event(level, EventCodes[name], message, fields);
  if (workspaceEventsFile) {
    const settings = core.settings;
    new EventLog(workspaceEventsFile, settings.get('log.level')).event(level, EventCodes[name], message, fields);
  }
}
