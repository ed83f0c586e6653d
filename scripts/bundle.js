// Bundles the compiled CLI into build/dist with code splitting (one chunk per command), and
// each built-in plugin into one module, so a command loads a handful of files instead of
// hundreds: resolving and reading many small modules dominated cold start before this.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // React (for the terminal UI) picks its development build unless NODE_ENV says production:
  // several times slower to render, with checks meant for React's developers.
  define: { 'process.env.NODE_ENV': '"production"' },
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __twinboxRequire } from 'node:module'; const require = __twinboxRequire(import.meta.url);" },
};

// Ink imports its React devtools bridge (and through it react-devtools-core, not a dependency)
// only when DEV=true; the bundle leaves that bridge out instead of failing to resolve it.
const withoutInkDevtools = {
  name: 'without-ink-devtools',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) => (/[\\/]ink[\\/]build[\\/]/.test(args.importer) ? { path: 'ink-devtools', namespace: 'left-out' } : undefined));
    builder.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: '', loader: 'js' }));
  },
};

// zod re-exports every one of its ~60 message locales (half a megabyte) as `z.locales`; twinbox
// uses English only (zod's default, configured from en.js directly). The bundle keeps just that
// one: every command that reads a package manifest parses and compiles less.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](?:classic|core)[\\/]/.test(args.importer) ? { path: join(args.resolveDir, '..', 'locales', 'index.js'), namespace: 'zod-locales' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(args.path, '..', 'en.js'))};`,
      loader: 'js',
      resolveDir: join(args.path, '..'),
    }));
  },
};

rmSync('build/dist', { recursive: true, force: true });
await build({ ...common, plugins: [withoutInkDevtools, zodEnglishOnly], entryPoints: ['build/src/cli.js'], splitting: true, outdir: 'build/dist', chunkNames: 'chunks/[name]-[hash]' });

// A built-in plugin's copied manifest is pointed at its bundle; the plugin API stays external
// so every plugin shares one copy of it, as installed third-party plugins do.
for (const name of readdirSync('build/plugins')) {
  const dir = join('build', 'plugins', name);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entry = manifest.twinbox?.entry;
  if (typeof entry !== 'string' || !existsSync(join(dir, entry))) continue;
  await build({ ...common, plugins: [zodEnglishOnly], entryPoints: [join(dir, entry)], outfile: join(dir, 'plugin.bundle.js'), external: ['twinbox/*'] });
  manifest.twinbox.entry = './plugin.bundle.js';
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}
