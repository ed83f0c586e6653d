// Compiles the TypeScript sources into build/ and copies each plugin's manifest beside its
// compiled entry, so build/plugins/<name>/ is a complete plugin folder the loader can read.
// Manifests are copied even when type checking fails (tsc still emits), and the exit code
// is tsc's, so a type error still fails the build.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, readdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

// Built-in plugins live in their own package scopes (plugins/<name>/package.json) and import
// 'twinbox/plugin-api' as third-party plugins do; a self link in node_modules resolves it the
// way an installed twinbox does.
const selfLink = join('node_modules', 'twinbox');
try {
  lstatSync(selfLink);
} catch {
  symlinkSync('..', selfLink, 'dir');
}
const tsc = join(require.resolve('typescript/package.json'), '..', 'bin', 'tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', '.'], { stdio: 'inherit' });
for (const name of readdirSync('plugins')) {
  const manifest = join('plugins', name, 'package.json');
  if (existsSync(manifest)) cpSync(manifest, join('build', 'plugins', name, 'package.json'));
  const assets = join('plugins', name, 'assets');
  if (existsSync(assets)) cpSync(assets, join('build', 'plugins', name, 'assets'), { recursive: true });
}
const bundled = spawnSync(process.execPath, ['scripts/bundle.js'], { stdio: 'inherit' });
process.exitCode = compiled.status || bundled.status || 0;
if (spawnSync(process.execPath, ['scripts/man.js'], { stdio: 'inherit' }).status) process.exitCode = 1;
