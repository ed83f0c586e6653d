import type { PtyScreenOptions } from './pty-screen.js';

/** What differs from run to run in twinbox's screens: the temporary home (TWINBOX_HOME), VM ids, times, durations, sizes. */
export function masks(home: string): NonNullable<PtyScreenOptions['masks']> {
  return [
    [new RegExp(home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'), '<home>'],
    [/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?Z?/g, '<time>'],
    [/\b\d\d:\d\d:\d\d\b/g, 'hh:mm:ss'],
    [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>'],
    [/\bfake-[0-9a-z-]{6,}\b/g, '<vm>'],
    [/<?\b\d+(?:\.\d+)? ?(?:ms|s|min|h)\b/g, '<dur>'],
    [/\b(?:pid|process) \d+\b/g, 'pid <n>'],
    [/\bTWINBOX[A-Z0-9]{6,}\b/g, 'TWINBOX<name>'],
    // The detail pane's CPU and memory meters: real readings of a real process.
    [/cpu [▁▂▃▄▅▆▇█_.,~=*#\- ]+ (?:\d+\.\d%|-) *mem [▁▂▃▄▅▆▇█_.,~=*#\- ]+ (?:\d+ MiB|-)/g, 'cpu <meter> mem <meter>'],
    [/\/tmp\/twinbox-\d+\/[0-9a-f]+/g, '<runtime>'],
    [/\b\d+(?:\.\d+)? ?(?:[KMG]i?B|bytes)\b/g, '<size>'],
  ];
}

