import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGrid } from '../helpers/screen/screen-grid.js';
import { gridToSvg } from '../helpers/screen/screen-svg.js';
import { expectedPictures, PICTURES } from '../helpers/screen/write-screens.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('the README’s pictures are the golden screens as they are now, and the README shows each', (t) => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const [file, wanted] of expectedPictures()) {
    let current = '';
    try {
      current = readFileSync(join(ROOT, file), 'utf8');
    } catch {
      // missing: differs
    }
    t.is(current, wanted, `${file} differs from its golden screen: run \`npm run goldens\``);
    t.true(readme.includes(`](${file})`), `README.md does not show ${file}`);
  }
  t.is(PICTURES.length, expectedPictures().size);
});

test('a picture holds every row of its screen, escaped, and the cursor where it shows', (t) => {
  const grid = parseGrid(['# 12x3 cursor at 4,1 normal', '|a <b> & c   |', '|            |', '|   end      |'].join('\n'), 'inline');
  const svg = gridToSvg(grid, 'x & y');
  t.true(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  t.regex(svg, /<text x="12" y="49" textLength="[\d.]+" lengthAdjust="spacingAndGlyphs">a &lt;b&gt; &amp; c<\/text>/);
  t.regex(svg, /<text x="12" y="83" [^>]*>   end<\/text>/);
  t.is((svg.match(/<text x="12"/g) ?? []).length, 2, 'the empty row draws nothing');
  t.regex(svg, /<rect x="45\.6" y="55" width="8\.4"/, 'the cursor block at column 4, row 1');
  t.regex(svg, /<title>x &amp; y<\/title>/);
});
