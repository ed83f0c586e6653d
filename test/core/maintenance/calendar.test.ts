process.env.TZ = 'Europe/Berlin';
import test from 'ava';
import { calendarProblem, nextOccurrence, parseCalendar } from '../../../src/core/maintenance/calendar.js';

const local = (text: string) => new Date(text);
const next = (schedule: string, after: string) => nextOccurrence(parseCalendar(schedule), local(after));

test('accepted forms', (t) => {
  for (const ok of ['', 'Sun 03:00', 'sunday 3:00', 'Mon..Fri 22:30:15', 'Mon,Wed..Fri 01:00', '*-*-* 04:05', 'Sat *-*-* 04:05', 'daily', 'WEEKLY', '12:00']) {
    t.is(calendarProblem(ok), undefined, ok);
  }
});

test('refused with a message', (t) => {
  t.regex(calendarProblem('Sun 25:00')!, /hour 25 is out of range/);
  t.regex(calendarProblem('Sun 03:61')!, /minute 61/);
  t.regex(calendarProblem('Funday 03:00')!, /"Funday" is not a weekday/);
  t.regex(calendarProblem('Sat..Mon 03:00')!, /runs backwards/);
  t.regex(calendarProblem('2026-01-01 03:00')!, /only the date \*-\*-\*/);
  t.regex(calendarProblem('Sun')!, /not a time/);
  t.regex(calendarProblem('hourly')!, /not a time/);
  t.is(calendarProblem(3), 'not a string');
});

test('next() is strictly after, in local time, and wraps the week', (t) => {
  t.is(next('Sun 03:00', '2026-03-01T02:00:00').getTime(), local('2026-03-01T03:00:00').getTime());
  t.is(next('Sun 03:00', '2026-03-01T03:00:00').getTime(), local('2026-03-08T03:00:00').getTime(), 'the same time is not "after"');
  t.is(next('Mon..Fri 22:00', '2026-03-06T23:00:00').getTime(), local('2026-03-09T22:00:00').getTime(), 'Friday night wraps to Monday');
  t.is(next('weekly', '2026-03-08T12:00:00').getTime(), local('2026-03-09T00:00:00').getTime());
  t.is(next('daily', '2026-12-31T23:59:59').getTime(), local('2027-01-01T00:00:00').getTime(), 'year end');
});

test('DST: a skipped time happens after the change, a repeated one once', (t) => {
  // Europe/Berlin springs forward on 2026-03-29 at 02:00 (to 03:00) and falls back on 2026-10-25 at 03:00 (to 02:00).
  const spring = next('Sun 02:30', '2026-03-28T12:00:00');
  t.is(spring.toISOString(), '2026-03-29T01:30:00.000Z', '02:30 does not exist: 03:30 CEST');
  const fall = next('Sun 02:30', '2026-10-24T12:00:00');
  t.is(fall.toISOString(), '2026-10-25T00:30:00.000Z', 'the first 02:30 (CEST)');
  t.is(nextOccurrence(parseCalendar('Sun 02:30'), fall).toISOString(), '2026-11-01T01:30:00.000Z', 'not the second 02:30: next week');
  t.is(next('daily', '2026-03-29T00:00:00').toISOString(), '2026-03-29T22:00:00.000Z', 'a 23-hour day');
});
