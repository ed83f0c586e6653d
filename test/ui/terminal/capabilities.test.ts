import test from 'ava';
import { detectCapabilities } from '../../../src/ui/terminal/capabilities.js';
import { symbolsFor } from '../../../src/ui/terminal/symbols.js';
import { createTheme, stateRole } from '../../../src/ui/terminal/theme.js';

test('a UTF-8 locale on a modern terminal gets Unicode and colour', (t) => {
  t.deepEqual(detectCapabilities({ TERM: 'xterm-256color', LANG: 'en_US.UTF-8' }), { unicode: true, color: true, styles: true });
});

test('LANG=C falls back to ASCII', (t) => {
  t.false(detectCapabilities({ TERM: 'xterm', LANG: 'C' }).unicode);
  t.false(detectCapabilities({ TERM: 'xterm' }).unicode);
});

test('LC_ALL overrides LANG when deciding the character set', (t) => {
  t.false(detectCapabilities({ TERM: 'xterm', LANG: 'en_US.UTF-8', LC_ALL: 'C' }).unicode);
  t.true(detectCapabilities({ TERM: 'xterm', LANG: 'C', LC_ALL: 'de_DE.utf8' }).unicode);
});

test('the Linux console gets ASCII even with a UTF-8 locale', (t) => {
  t.false(detectCapabilities({ TERM: 'linux', LANG: 'en_US.UTF-8' }).unicode);
});

test('NO_COLOR disables colour but keeps bold and inverse; an empty NO_COLOR does not', (t) => {
  t.deepEqual(detectCapabilities({ TERM: 'xterm', LANG: 'C.UTF-8', NO_COLOR: '1' }), { unicode: true, color: false, styles: true });
  t.true(detectCapabilities({ TERM: 'xterm', NO_COLOR: '' }).color);
});

test('a dumb terminal gets no styling at all', (t) => {
  t.deepEqual(detectCapabilities({ TERM: 'dumb', LANG: 'C.UTF-8' }), { unicode: false, color: false, styles: false });
});

test('every ASCII symbol is plain 7-bit', (t) => {
  const ascii = symbolsFor(false);
  for (const [name, value] of Object.entries(ascii)) {
    const glyphs = Array.isArray(value) ? value.join('') : String(value);
    t.regex(glyphs, /^[\x20-\x7e]*$/, `${name} is not ASCII`);
  }
  t.is(ascii.border, 'classic');
});

test('a monochrome theme names no colour for any role', (t) => {
  const mono = createTheme({ unicode: false, color: false, styles: true });
  for (const role of ['accent', 'ok', 'warn', 'error', 'muted', 'simulated'] as const) t.is(mono.color(role), undefined);
  t.is(createTheme({ unicode: true, color: true, styles: true }).color(stateRole('running')), 'green');
  t.is(stateRole('crashed'), 'error');
});
