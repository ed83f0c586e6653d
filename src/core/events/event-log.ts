import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PluginLogger } from '../../plugin-api/index.js';
import { categoryOf } from './codes.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface EventRecord {
  time: string;
  level: LogLevel;
  /** setup, vm, publishing, redirection, policy, agent, plugin… */
  category: string;
  /** Stable numeric code (see codes.ts) for events monitoring keys on. */
  code?: number;
  message: string;
  source?: string;
  fields?: Record<string, unknown>;
}

/** Appends events as JSON lines (one file, readable only by its owner). */
export class EventLog {
  constructor(
    readonly file: string,
    private readonly level: LogLevel = 'info',
    private readonly now: () => number = Date.now,
  ) {}

  /** An event with a stable code; its category follows from the code's range. */
  event(level: LogLevel, code: number, message: string, fields?: Record<string, unknown>): void {
    this.write(level, categoryOf(code), message, fields, undefined, code);
  }

  write(level: LogLevel, category: string, message: string, fields?: Record<string, unknown>, source?: string, code?: number): void {
    if (RANK[level] > RANK[this.level]) return;
    const record: EventRecord = { time: new Date(this.now()).toISOString(), level, category, message };
    if (code !== undefined) record.code = code;
    if (source) record.source = source;
    if (fields && Object.keys(fields).length > 0) record.fields = fields;
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      appendFileSync(this.file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    } catch {
      // Logging must never take an operation down; the command's own error path reports failures.
    }
  }

  /** A logger for one plugin, tagging its events with the plugin's name. */
  forPlugin(name: string): PluginLogger {
    const log = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) =>
      this.write(level, 'plugin', message, fields, name);
    return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  }
}
