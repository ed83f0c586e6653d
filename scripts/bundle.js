// Bundles the compiled CLI into build/dist with code splitting (one chunk per command), and
// each built-in plugin into one module, so a command loads a handful of files instead of
// hundreds: resolving and reading many small modules dominated cold start before this.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions, withoutInkDevtools } from './bundle-options.js';
import { confInBundle } from './conf-in-bundle.js';

// The options every bundle shares, and Ink without its devtools bridge (scripts/bundle-options.js).
const common = bundleOptions();

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

// The manifest schema's id (src/core/workspace/load-manifest.ts): a hash of the compiled schema
// module and every module it imports, relative imports followed, and of zod's version. A
// manifest validated under another id is validated again.
function manifestSchemaId() {
  const hash = createHash('sha256');
  hash.update(`zod ${JSON.parse(readFileSync('node_modules/zod/package.json', 'utf8')).version}\n`);
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    hash.update(`${relative('build', file)}\n${text}\n`);
    for (const [, specifier] of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g)) visit(resolve(dirname(file), specifier));
  };
  visit(resolve('build/src/core/package/manifest-schema.js'));
  return hash.digest('hex').slice(0, 32);
}
common.define = { ...common.define, __TWINBOX_MANIFEST_SCHEMA_ID__: JSON.stringify(manifestSchemaId()) };

rmSync('build/dist', { recursive: true, force: true });
const conf = await confInBundle();
const metafiles = [];
const bundle = async (options) => metafiles.push((await build({ ...common, metafile: true, ...options })).metafile);
await bundle({ plugins: [withoutInkDevtools, zodEnglishOnly, conf], entryPoints: ['build/src/cli.js'], splitting: true, outdir: 'build/dist', chunkNames: 'chunks/[name]-[hash]' });

// The package's two library entry points (`twinbox/plugin-api`, `twinbox/testing`) are bundles
// too, so an installed twinbox needs no runtime dependency: their types stay tsc's .d.ts files.
await bundle({ plugins: [zodEnglishOnly], entryPoints: ['build/src/plugin-api/index.js'], outfile: 'build/dist/plugin-api.js' });
await bundle({ plugins: [zodEnglishOnly, conf], entryPoints: ['build/src/testing/index.js'], outfile: 'build/dist/testing.js', external: ['ava'] });

// A built-in plugin's copied manifest is pointed at its bundle; the plugin API stays external
// so every plugin shares one copy of it, as installed third-party plugins do.
for (const name of readdirSync('build/plugins')) {
  const dir = join('build', 'plugins', name);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entry = manifest.twinbox?.entry;
  if (typeof entry !== 'string' || !existsSync(join(dir, entry))) continue;
  await bundle({ plugins: [zodEnglishOnly], entryPoints: [join(dir, entry)], outfile: join(dir, 'plugin.bundle.js'), external: ['twinbox/*'] });
  manifest.twinbox.entry = './plugin.bundle.js';
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

// The fake hypervisor starts its simulated guests from guest/main.js beside its bundle: that
// entry is bundled in place, so the package ships one file for it instead of the compiled tree.
const fakeGuest = join('build', 'plugins', 'fake', 'guest', 'main.js');
if (existsSync(fakeGuest)) await bundle({ entryPoints: [fakeGuest], outfile: fakeGuest, allowOverwrite: true, sourcemap: false });

// Every third-party package that went into a bundle, with its licence text: the bundles carry
// their code, so the package carries their notices (build/dist/THIRD-PARTY-NOTICES.md).
const bundled = new Map();
for (const metafile of metafiles) {
  for (const input of Object.keys(metafile.inputs)) {
    if (/^[a-z-]+:/.test(input)) continue; // plugin namespaces (left-out, zod-locales): no file of their own
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const nameParts = parts[at + 1]?.startsWith('@') ? parts.slice(at + 1, at + 3) : parts.slice(at + 1, at + 2);
    const dir = parts.slice(0, at + 1 + nameParts.length).join(sep);
    const name = nameParts.join('/');
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (!bundled.has(`${name}@${version}`)) bundled.set(`${name}@${version}`, { dir, name });
  }
}
const notices = ['# Third-party software in these bundles', '', 'twinbox\'s bundles (`build/dist`, `build/plugins/*/plugin.bundle.js`) contain the following packages.', ''];
for (const [, { dir, name }] of [...bundled].sort((a, b) => a[0].localeCompare(b[0]))) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licenceFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file));
  notices.push(`## ${name} ${manifest.version} (${manifest.license ?? 'see below'})`, '');
  if (licenceFile) notices.push(readFileSync(join(dir, licenceFile), 'utf8').trim(), '');
  else notices.push(`No licence file is shipped in ${relative('.', dir)}; its package.json says ${JSON.stringify(manifest.license ?? null)}.`, '');
}
writeFileSync('build/dist/THIRD-PARTY-NOTICES.md', `${notices.join('\n')}\n`);
