// What every esbuild bundle of twinbox shares (scripts/bundle.js), and what the benchmark's
// smallest Ink program is bundled with (bench/screen-timing.ts), so that floor is built the
// way the CLI is.

/** A fresh copy each call: callers add to `define`. */
export function bundleOptions() {
  return {
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
}

// Ink imports its React devtools bridge (and through it react-devtools-core, not a dependency)
// only when DEV=true; the bundle leaves that bridge out instead of failing to resolve it.
export const withoutInkDevtools = {
  name: 'without-ink-devtools',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) => (/[\\/]ink[\\/]build[\\/]/.test(args.importer) ? { path: 'ink-devtools', namespace: 'left-out' } : undefined));
    builder.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: '', loader: 'js' }));
  },
};
