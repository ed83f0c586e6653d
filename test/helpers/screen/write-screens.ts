/**
 * Writes the README's pictures (docs/screens/*.svg) from the golden screens; `--check` writes
 * nothing and exits 1 naming each picture that differs (test/ui/screen-pictures.test.ts runs
 * it). `npm run goldens` runs this after updating the goldens.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGrid } from './screen-grid.js';
import { gridToSvg } from './screen-svg.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The screens the README shows: golden (under test/golden), picture (under docs/screens), title. */
export const PICTURES: ReadonlyArray<{ golden: string; picture: string; title: string }> = [
  { golden: 'dashboard/80x24/01-open.txt', picture: 'dashboard.svg', title: 'twinbox dashboard' },
  { golden: 'dashboard/80x24/10-details.txt', picture: 'dashboard-details.svg', title: 'twinbox dashboard: a workspace’s details (d)' },
  { golden: 'dashboard/60x20/02-help.txt', picture: 'dashboard-help-60x20.svg', title: 'twinbox dashboard: help (?)' },
  { golden: 'menu-command/80x24/01-open.txt', picture: 'menu.svg', title: 'twinbox menu' },
  { golden: 'menu-command/80x24/07-command-output.txt', picture: 'menu-command-output.svg', title: 'twinbox menu: a command app’s output' },
  { golden: 'menu-terminal/80x24/03-shell-typed.txt', picture: 'menu-terminal-app.svg', title: 'twinbox menu: a terminal app in the guest' },
];

export function expectedPictures(): Map<string, string> {
  const wanted = new Map<string, string>();
  for (const { golden, picture, title } of PICTURES) {
    const source = join(ROOT, 'test', 'golden', golden);
    wanted.set(join('docs', 'screens', picture), gridToSvg(parseGrid(readFileSync(source, 'utf8'), source), title));
  }
  return wanted;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [file, text] of expectedPictures()) {
    let current: string | undefined;
    try {
      current = readFileSync(join(ROOT, file), 'utf8');
    } catch {
      current = undefined;
    }
    if (current === text) continue;
    stale.push(file);
    if (!check) {
      mkdirSync(join(ROOT, 'docs', 'screens'), { recursive: true });
      writeFileSync(join(ROOT, file), text);
    }
  }
  if (check && stale.length > 0) {
    process.stderr.write(`screens: ${stale.join(', ')} differ from the golden screens\nhint: run \`npm run goldens\` (or \`node build/test/helpers/screen/write-screens.js\`) and commit the result\n`);
    process.exit(1);
  }
  if (!check && stale.length > 0) process.stdout.write(`screens: wrote ${stale.join(', ')}\n`);
}
