/**
 * maintenance.schedule: a documented subset of systemd's calendar events, evaluated in the
 * host's local time zone. The rules followed are those of systemd.time(7), section CALENDAR
 * EVENTS (https://kernel.org/doc/man-pages/online/pages/man7/systemd.time.7.html):
 *
 *  - "The weekday specification is optional. If specified, it should consist of one or more
 *    English language weekday names, either in the abbreviated (Wed) or non-abbreviated
 *    (Wednesday) form (case does not matter), separated by commas. Specifying two weekdays
 *    separated by `..` refers to a range of continuous weekdays." Ranges run Monday to Sunday
 *    here (`Sat..Mon` is refused rather than guessed).
 *  - The date may be left out ("the current day is implied"); this subset takes only `*-*-*`.
 *  - The time is `HH:MM[:SS]`; "if the second component is not specified, `:00` is assumed".
 *  - `daily` is `*-*-* 00:00:00`, `weekly` is `Mon *-*-* 00:00:00`.
 *  - A calendar event with no time zone is in local time. A local time that a DST change skips
 *    (02:30 on the spring-forward night) happens at the same wall-clock distance after the
 *    change (03:30), as mktime(3) normalises it and systemd with it; a time a DST change repeats
 *    (the fall-back night) happens once, at its first occurrence.
 *
 * Not in the subset (refused with a message): dates other than `*-*-*`, repetitions (`/`),
 * lists of hours or minutes, `~`, time zones, and the other special expressions.
 */
export interface CalendarEvent {
  /** The text it was read from. */
  source: string;
  /** Weekdays it happens on, 0 Sunday … 6 Saturday (Date's numbering). */
  weekdays: ReadonlySet<number>;
  hour: number;
  minute: number;
  second: number;
}

/** Monday first, as systemd orders a week. */
const DAYS = [
  ['mon', 'monday', 1],
  ['tue', 'tuesday', 2],
  ['wed', 'wednesday', 3],
  ['thu', 'thursday', 4],
  ['fri', 'friday', 5],
  ['sat', 'saturday', 6],
  ['sun', 'sunday', 0],
] as const;

const ALL_DAYS = new Set([0, 1, 2, 3, 4, 5, 6]);

export class CalendarSyntaxError extends Error {}

/** Monday-first position of a weekday name, or undefined. */
function dayIndex(name: string): number | undefined {
  const lower = name.toLowerCase();
  const index = DAYS.findIndex(([short, long]) => lower === short || lower === long);
  return index < 0 ? undefined : index;
}

function parseWeekdays(text: string): Set<number> {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to, ...rest] = part.split('..');
    if (rest.length > 0 || from === undefined) throw new CalendarSyntaxError(`"${part}" is not a weekday or a range of weekdays`);
    const start = dayIndex(from);
    if (start === undefined) throw new CalendarSyntaxError(`"${from}" is not a weekday (Mon, Tue, … or Monday, Tuesday, …)`);
    const end = to === undefined ? start : dayIndex(to);
    if (end === undefined) throw new CalendarSyntaxError(`"${to}" is not a weekday (Mon, Tue, … or Monday, Tuesday, …)`);
    if (end < start) throw new CalendarSyntaxError(`the range "${part}" runs backwards: weeks run Mon..Sun`);
    for (let index = start; index <= end; index++) days.add(DAYS[index]![2]);
  }
  return days;
}

function parseTime(text: string): [number, number, number] {
  const match = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$/.exec(text);
  if (!match) throw new CalendarSyntaxError(`"${text}" is not a time: use HH:MM or HH:MM:SS`);
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (hour > 23) throw new CalendarSyntaxError(`hour ${hour} is out of range (0–23)`);
  if (minute > 59) throw new CalendarSyntaxError(`minute ${minute} is out of range (0–59)`);
  if (second > 59) throw new CalendarSyntaxError(`second ${second} is out of range (0–59)`);
  return [hour, minute, second];
}

/** Reads a calendar event of the subset; throws CalendarSyntaxError saying what is wrong. */
export function parseCalendar(source: string): CalendarEvent {
  const text = source.trim();
  const lower = text.toLowerCase();
  if (lower === 'daily') return { source, weekdays: ALL_DAYS, hour: 0, minute: 0, second: 0 };
  if (lower === 'weekly') return { source, weekdays: new Set([1]), hour: 0, minute: 0, second: 0 };
  const words = text.split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) throw new CalendarSyntaxError('the schedule is empty');
  if (words.length > 3) throw new CalendarSyntaxError('too many parts: use [WEEKDAYS] [*-*-*] HH:MM[:SS]');
  const time = parseTime(words.at(-1)!);
  let rest = words.slice(0, -1);
  if (rest.at(-1)?.includes('-')) {
    if (rest.at(-1) !== '*-*-*') throw new CalendarSyntaxError(`"${rest.at(-1)}": only the date *-*-* (every day) is supported`);
    rest = rest.slice(0, -1);
  }
  if (rest.length > 1) throw new CalendarSyntaxError('use [WEEKDAYS] [*-*-*] HH:MM[:SS]');
  const weekdays = rest.length === 1 ? parseWeekdays(rest[0]!) : ALL_DAYS;
  return { source, weekdays, hour: time[0], minute: time[1], second: time[2] };
}

/** What is wrong with a schedule, or undefined when it reads ('' means no maintenance). */
export function calendarProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'not a string';
  if (value === '') return undefined;
  if (value.length > 200) return 'longer than 200 characters';
  try {
    parseCalendar(value);
    return undefined;
  } catch (error) {
    if (error instanceof CalendarSyntaxError) return error.message;
    throw error;
  }
}

/** The first time the event happens strictly after `after`, in local time. */
export function nextOccurrence(event: CalendarEvent, after: Date): Date {
  const day = new Date(after.getFullYear(), after.getMonth(), after.getDate());
  // Eight days always hold the next one (the same weekday a week later, or later today).
  for (let offset = 0; offset <= 8; offset++) {
    const date = new Date(day.getFullYear(), day.getMonth(), day.getDate() + offset);
    if (!event.weekdays.has(date.getDay())) continue;
    // The Date constructor normalises a skipped local time forward and takes the first of a repeated one.
    const at = new Date(date.getFullYear(), date.getMonth(), date.getDate(), event.hour, event.minute, event.second);
    if (at.getTime() > after.getTime()) return at;
  }
  throw new Error(`no occurrence of "${event.source}" within eight days of ${after.toISOString()}`);
}
