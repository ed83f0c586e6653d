import test from 'ava';
import { fleet } from './helpers/fleet.js';
import { renderDashboard, type Harness } from './helpers/dashboard-harness.js';

/** SGR colours (30–38, 40–48, 90–97, 100–107); 39 and 49 only restore the terminal's default. */
const COLOUR_ESCAPE = /\u001B\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;
const NON_ASCII = /[^\x00-\x7f]/;

/** Opens the screens with the most glyphs: the list, a confirmation dialog, help, setup's progress bar. */
async function tour(ui: Harness): Promise<void> {
  await ui.waitFor((frame) => frame.includes('lab 1.0.0:'));
  await ui.press('j', 'F');
  await ui.waitFor('Force stop office?');
  await ui.press('n', '?');
  await ui.waitFor('this help: every key');
  // Escape alone: read together with the next key (a loaded machine reads late), it would be Alt+g.
  await ui.press('\u001B');
  await ui.waitFor((frame) => !frame.includes('this help: every key'));
  await ui.press('g', 'u');
  await ui.waitFor('lab is ready');
}

test('with LANG=C and NO_COLOR the dashboard writes only ASCII and no colour escapes', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env, { unicode: false, color: false, styles: true });
  await tour(ui);
  const written = ui.frames().join('');
  t.false(NON_ASCII.test(written), `non-ASCII near: ${written.slice(Math.max(0, written.search(NON_ASCII) - 80), written.search(NON_ASCII) + 20)}`);
  t.false(COLOUR_ESCAPE.test(written));
  t.regex(ui.frame(), /#+-* 100%|#{10,}/, 'the progress bar is drawn in ASCII');
  t.regex(written, /\+-{10,}\+/, 'dialogs have ASCII borders');
});

test('on a UTF-8 colour terminal the same screens use box drawing and colour', async (t) => {
  const home = await fleet(t);
  const ui = renderDashboard(t, home.env, { unicode: true, color: true, styles: true });
  await tour(ui);
  const written = ui.frames().join('');
  t.regex(written, /[╭█✓]/);
  t.regex(written, COLOUR_ESCAPE);
});
