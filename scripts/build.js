// Compiles the TypeScript sources into build/ and copies each plugin's manifest beside its
// compiled entry, so build/plugins/<name>/ is a complete plugin folder the loader can read.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const tsc = join(require.resolve('typescript/package.json'), '..', 'bin', 'tsc');
rmSync('build/plugins', { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', '.'], { stdio: 'inherit' });
for (const name of readdirSync('plugins')) {
  const manifest = join('plugins', name, 'package.json');
  if (existsSync(manifest)) cpSync(manifest, join('build', 'plugins', name, 'package.json'));
  const assets = join('plugins', name, 'assets');
  if (existsSync(assets)) cpSync(assets, join('build', 'plugins', name, 'assets'), { recursive: true });
}
