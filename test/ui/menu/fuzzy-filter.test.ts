import test from 'ava';
import type { MenuEntry } from '../../../src/core/apps/menu-entries.js';
import { fuzzyMatch } from '../../../src/ui/menu/fuzzy-match.js';
import { filterMenu, indexEntries, matchedPositions } from '../../../src/ui/menu/menu-filter.js';
import { menuRows, scrollOffset } from '../../../src/ui/menu/menu-rows.js';
import { outputLines } from '../../../src/ui/menu/output-lines.js';

function entry(workspace: string, id: string, name: string, uses = 0, category?: string): MenuEntry {
  const group = category ? `${workspace} / ${category}` : workspace;
  return { key: `${workspace}/${id}`, workspace, category, group, uses, app: { id, name, kind: 'command', command: [id], source: 'test', origin: 'discovered' } };
}

test('a query matches the letters of a name in order, ignoring case, and says which letters matched', (t) => {
  t.deepEqual(fuzzyMatch('txe', 'Text Editor')?.positions, [0, 2, 5]);
  t.deepEqual(fuzzyMatch('ed', 'Text Editor')?.positions, [5, 6]);
  t.is(fuzzyMatch('xt', 'Text Editor')?.positions.length, 2);
  t.is(fuzzyMatch('ted', 'Editor'), undefined);
  t.is(fuzzyMatch('z', 'Text Editor'), undefined);
});

test('a match at a word start or in one run scores above a scattered one', (t) => {
  const score = (query: string, text: string) => fuzzyMatch(query, text)!.score;
  t.true(score('cal', 'Calculator') > score('cal', 'Local Mail'));
  t.true(score('te', 'Text Editor') > score('te', 'Site Editor'));
  t.true(score('ed', 'Text Editor') > score('ed', 'Shredder'));
  // The shortest window wins: "term" in "Terminal" rather than spread over "The Emacs RaM".
  t.deepEqual(fuzzyMatch('term', 'The Terminal')?.positions, [4, 5, 6, 7]);
});

test('filtering ranks the best match first, then the most used, then by name; an empty filter keeps menu order', (t) => {
  const entries = [entry('office', 'calc', 'Calculator', 1), entry('office', 'mail', 'Local Mail', 9), entry('lab', 'scal', 'Scale', 0), entry('lab', 'cal2', 'Calendar', 5)];
  const index = indexEntries(entries);
  t.deepEqual(filterMenu(index, '').map((app) => app.entry.key), ['office/calc', 'office/mail', 'lab/scal', 'lab/cal2']);
  // Calendar and Calculator match alike at the start (the more used first); Local Mail and Scale
  // alike inside a word, below them.
  t.deepEqual(filterMenu(index, 'cal').map((app) => app.entry.key), ['lab/cal2', 'office/calc', 'office/mail', 'lab/scal']);
  t.deepEqual(filterMenu(index, 'CALC').map((app) => app.entry.key), ['office/calc']);
  t.deepEqual(filterMenu(index, 'qqq'), []);
});

test('the id and the group match where one of their words starts with the query, below a match on the name, and highlight nothing', (t) => {
  const entries = [entry('office', 'soffice', 'Writer', 0, 'Documents'), entry('lab', 'w', 'Wiki', 0)];
  const index = indexEntries(entries);
  t.deepEqual(filterMenu(index, 'soff').map((app) => [app.entry.key, matchedPositions(app, 'soff')]), [['office/soffice', []]]);
  t.deepEqual(filterMenu(index, 'WR').map((app) => matchedPositions(app, 'WR')), [[0, 1]]);
  t.deepEqual(filterMenu(index, 'docu').map((app) => app.entry.key), ['office/soffice']);
  // Inside a word of the id or group is no match: a short query would otherwise match them all.
  t.deepEqual(filterMenu(index, 'fice'), []);
  // Both names start with w: equal matches, so by name.
  t.deepEqual(filterMenu(index, 'w').map((app) => app.entry.key), ['lab/w', 'office/soffice']);
});

test('unfiltered rows carry a heading before each group; filtered rows carry none', (t) => {
  const apps = filterMenu(indexEntries([entry('lab', 'a', 'A'), entry('lab', 'b', 'B'), entry('office', 'c', 'C')]), '');
  t.deepEqual(menuRows(apps, true).map((row) => (row.kind === 'group' ? `[${row.label}]` : row.app.entry.app.id)), ['[lab]', 'a', 'b', '[office]', 'c']);
  t.deepEqual(menuRows(apps, false).map((row) => (row.kind === 'group' ? row.label : row.index)), [0, 1, 2]);
});

test('the list scrolls only as far as needed to show the selected row and the heading above it', (t) => {
  t.is(scrollOffset(0, 5, 10, 8), 0);
  t.is(scrollOffset(0, 12, 10, 40), 3);
  t.is(scrollOffset(3, 8, 10, 40), 3);
  t.is(scrollOffset(3, 3, 10, 40), 2);
  // The list shrank under the old offset.
  t.is(scrollOffset(30, 34, 10, 35), 25);
});

test('guest output loses its escape sequences and control characters before the menu shows it', (t) => {
  t.deepEqual(outputLines('\u001B[31mred\u001B[0m\r\n\u001B]0;title\u0007tab\there\u0007\n'), ['red', 'tab    here']);
  t.deepEqual(outputLines(''), ['']);
});

test('an app shown by its translated name is found by its untranslated one too, below the apps whose shown name matches, with nothing highlighted', (t) => {
  const rechner = entry('office', 'calc', 'Rechner');
  rechner.app.untranslatedName = 'Calculator';
  const entries = [rechner, entry('office', 'cal2', 'Calendar'), entry('office', 'mail', 'Post')];
  const index = indexEntries(entries);
  t.deepEqual(filterMenu(index, 'calc').map((app) => app.entry.key), ['office/calc']);
  t.deepEqual(filterMenu(index, 'rech').map((app) => app.entry.key), ['office/calc']);
  t.deepEqual(filterMenu(index, 'cal').map((app) => app.entry.key), ['office/cal2', 'office/calc'], 'a match on the name shown ranks first');
  const found = filterMenu(index, 'calc')[0]!;
  t.false(found.byName);
  t.deepEqual(matchedPositions(found, 'calc'), [], 'the shown name holds no matched letters to underline');
});
