// Writes the man page twinbox(1) to build/man/twinbox.1 from the compiled command list (the
// one `twinbox --help` prints), so the page cannot drift from the CLI. Run by scripts/build.js.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { manPage } from '../build/src/commands/man-page.js';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
mkdirSync('build/man', { recursive: true });
writeFileSync('build/man/twinbox.1', manPage(version));
