// Bundles the compiled CLI into build/dist with code splitting: one file per command chunk,
// so `twinbox --version` parses a few kilobytes and each command loads only what it uses.
// Resolving hundreds of small node_modules files dominated cold start before this.
import { build } from 'esbuild';

await build({
  entryPoints: ['build/src/cli.js'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'build/dist',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __twinboxRequire } from 'node:module'; const require = __twinboxRequire(import.meta.url);" },
});
