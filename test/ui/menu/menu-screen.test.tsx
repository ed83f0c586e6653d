import test from 'ava';
import { orderMenu } from '../../../src/core/apps/menu-entries.js';
import { entry, KEYS, renderMenu } from './helpers/render-menu.js';

const ENTRIES = orderMenu([
  entry('office', 'writer', 'Writer', { category: 'Office', uses: 1 }),
  entry('office', 'calc', 'Calculator', { category: 'Office', uses: 7 }),
  entry('office', 'top', 'Process Viewer', { kind: 'terminal' }),
  entry('lab', 'scope', 'Oscilloscope'),
  entry('lab', 'cad', 'CAD Viewer', { kind: 'gui' }),
]);

/** A pattern for the frame whose selected row matches `row`. */
function selected(row: string): RegExp {
  return new RegExp(`^ › ${row}`, 'm');
}

test('the menu shows every app under its group heading, most-used group and app first, with the keys in a footer', async (t) => {
  const menu = renderMenu(t, ENTRIES);
  const lines = (await menu.shows(/Calculator/)).split('\n');
  t.regex(lines[0]!, /^Apps\s+5 apps$/);
  t.regex(lines[1]!, /type to filter/);
  const body = lines.slice(2, 10).map((line) => line.trimEnd());
  t.deepEqual(body, ['office / Office', ' › Calculator', '   Writer', 'lab', '   CAD Viewer (gui, no display here)', '   Oscilloscope', 'office', '   Process Viewer (terminal)']);
  t.regex(menu.frame(), /Enter launch Esc quit .*move .*type filter .*Ctrl-U clear/);
});

test('typing filters at once, best match first, the selected app\'s group below the list; Backspace and Ctrl-U undo it', async (t) => {
  const menu = renderMenu(t, ENTRIES);
  await menu.press('v', 'i', 'e');
  const frame = await menu.shows(/› vie/);
  t.regex(frame, /2 of 5/);
  const list = frame.split('\n').slice(2, 4);
  t.deepEqual(list, [' › CAD Viewer (gui, no display here)', '   Process Viewer (terminal)']);
  t.regex(frame, /^in lab$/m);
  t.notRegex(frame, /Calculator|Oscilloscope/);
  await menu.press(KEYS.down);
  await menu.shows(/^in office$/m);

  await menu.press('x');
  await menu.shows(/No app matches "viex"/);
  await menu.press(KEYS.backspace);
  await menu.shows(/2 of 5/);
  await menu.press(KEYS.ctrlU);
  t.regex(await menu.shows(/5 apps/), /type to filter/);
  // q inside a filter is a letter like any other.
  await menu.press('s', 'q');
  await menu.shows(/› sq/);
  t.deepEqual(menu.outcomes, []);
});

test('arrows, PgUp/PgDn and Home/End move the selection over apps, never onto a heading', async (t) => {
  const menu = renderMenu(t, ENTRIES);
  await menu.press(KEYS.down, KEYS.down);
  await menu.shows(selected('CAD Viewer'));
  await menu.press(KEYS.up);
  await menu.shows(selected('Writer'));
  await menu.press(KEYS.end);
  await menu.shows(selected('Process Viewer'));
  // Down at the end stays there: one Up then selects the app before the last.
  await menu.press(KEYS.down, KEYS.up);
  await menu.shows(selected('Oscilloscope'));
  await menu.press(KEYS.home);
  await menu.shows(selected('Calculator'));
  await menu.press(KEYS.pageDown);
  await menu.shows(selected('Process Viewer'));
  await menu.press(KEYS.pageUp);
  await menu.shows(selected('Calculator'));
});

for (const [label, keys] of [
  ['q with an empty filter', ['q']],
  ['Esc', [KEYS.escape]],
  ['Ctrl-C', [KEYS.ctrlC]],
  ['Ctrl-D', [KEYS.ctrlD]],
  ['Esc with a filter typed', ['c', 'a', KEYS.escape]],
] as const) {
  test(`${label} leaves the menu`, async (t) => {
    const menu = renderMenu(t, ENTRIES);
      await menu.press(...keys);
    await menu.until(() => menu.outcomes.length > 0, 'a way out');
    t.deepEqual(menu.outcomes, [{ type: 'quit' }]);
  });
}

test('keys that could reach anything but the list do nothing: Tab, Ctrl and Alt combinations, an unbound function key', async (t) => {
  const menu = renderMenu(t, ENTRIES);
  const before = await menu.shows(/Calculator/);
  await menu.press('\t', '\u001A', '\u0002', '\u001Bx', '\u001B[24~');
  // A key that does change the screen, after them: they are all handled by then.
  await menu.press(KEYS.down);
  await menu.shows(selected('Writer'));
  t.deepEqual(menu.outcomes, []);
  t.is(menu.frame(), before.replace(' › Calculator', '   Calculator').replace('   Writer', ' › Writer'));
});

test('a graphical app explains that there is no display, and nothing is started', async (t) => {
  const menu = renderMenu(t, ENTRIES);
  await menu.press('c', 'a', 'd', KEYS.enter);
  const frame = await menu.until((shown) => shown.includes('graphical'), 'the no-display explanation');
  t.regex(frame, /✗ CAD Viewer is a graphical app, and there is no display in this terminal/);
  t.regex(frame, /open it from the hypervisor's display/);
});

test('the list reflows to the terminal: a long name is cut at the width, not wrapped', async (t) => {
  const long = entry('office', 'long', `Very ${'long '.repeat(30)}name`);
  const menu = renderMenu(t, [long]);
  const frame = await menu.shows(/Very long long .*…/);
  t.true(frame.split('\n').every((line) => line.length <= 100), frame);
});

test('with LANG=C and NO_COLOR the menu draws ASCII only', async (t) => {
  const menu = renderMenu(t, ENTRIES, { env: { TERM: 'xterm', LANG: 'C', NO_COLOR: '1' } });
  await menu.press('c', 'a', 'd', KEYS.enter);
  const frame = await menu.until((shown) => shown.includes('graphical'), 'the no-display explanation');
  t.regex(frame, /^ > CAD Viewer/m);
  t.regex(frame, /^x CAD Viewer is a graphical app/m);
  t.regex(frame, /\^v move/);
  t.notRegex(frame, /[^\x00-\x7F]/);
});

test('keys that arrive in one chunk (fast typing, a slow link) each count: a filter and Enter, or a filter and Ctrl-C', async (t) => {
  const menu = renderMenu(t, ENTRIES);
  await menu.press('cad\r');
  await menu.shows(/✗ CAD Viewer is a graphical app/);
  await menu.press('\u0015osc\u0003q');
  await menu.until(() => menu.outcomes.length > 0, 'a way out');
  t.deepEqual(menu.outcomes, [{ type: 'quit' }]);
});
