// The project's own import graph, read from the sources' import and export statements (type-only
// imports included: a circle of types is still a circle to read): every relative or `twinbox/…` import of every source file under src/ and plugins/,
// its import circles (strongly connected components) and the imports that break the layering
//
//   src/cli.ts → src/commands → src/ui → src/core → src/plugin-api ← plugins/*
//
// (commands and ui may use core; core never uses ui or commands; plugin-api uses nothing of
// ours; a plugin uses only plugin-api and its own folder). `node scripts/import-graph.js`
// prints both lists and exits 1 when either is not empty; test/architecture reads the same.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// The tree to read: this project, or the folder given as the first argument (the tests' own trees).
const ROOT = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));

function sources(folder) {
  const found = [];
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) found.push(...sources(path));
    else if (/\.tsx?$/.test(entry) && !entry.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/** Import statements, `export … from`, side-effect imports and dynamic `import('…')`. */
const STATIC = /(?:^|[;\s])(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g;
const BARE = /(?:^|[;\s])import\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(text) {
  // Comment lines (`//`, and the `/**`, ` *` lines of block comments) are left out; a block
  // comment is not matched as a whole, since `/*` occurs in strings (globs) of this code.
  const code = text.replace(/^\s*(?:\/\/|\/\*|\*).*$/gm, '');
  return [...code.matchAll(STATIC), ...code.matchAll(BARE), ...code.matchAll(DYNAMIC)].map((match) => match[1]);
}

/** The project file an import names, or undefined for a package or a built-in. */
function target(from, specifier) {
  let path;
  if (specifier === 'twinbox/plugin-api') path = join(ROOT, 'src/plugin-api/index.ts');
  else if (specifier === 'twinbox/testing') path = join(ROOT, 'src/testing/index.ts');
  else if (specifier.startsWith('.')) path = resolve(dirname(from), specifier);
  else return undefined;
  const candidates = [path, path.replace(/\.js$/, '.ts'), path.replace(/\.js$/, '.tsx'), join(path, 'index.ts')];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/** The layer a file belongs to: `plugin:<name>` for a plugin. */
export function layer(file) {
  const path = relative(ROOT, file).split(sep).join('/');
  const plugin = /^plugins\/([^/]+)\//.exec(path);
  if (plugin) return `plugin:${plugin[1]}`;
  if (path === 'src/cli.ts') return 'cli';
  const folder = /^src\/([^/]+)\//.exec(path);
  return folder ? folder[1] : path;
}

/** Which layers each layer may import (its own always). */
const ALLOWED = {
  cli: ['commands', 'core', 'ui', 'plugin-api'],
  commands: ['core', 'ui', 'plugin-api'],
  ui: ['core', 'plugin-api'],
  core: ['plugin-api'],
  'plugin-api': [],
  // The testing kit drives a core built over a fake or simulated hypervisor.
  testing: ['core', 'plugin-api', 'plugin:fake', 'plugin:qga'],
};

function allowed(from, to) {
  if (from === to) return true;
  if (from.startsWith('plugin:')) return to === 'plugin-api';
  return (ALLOWED[from] ?? []).includes(to);
}

export function importGraph() {
  const files = ['src', 'plugins'].filter((folder) => existsSync(join(ROOT, folder))).flatMap((folder) => sources(join(ROOT, folder)));
  const edges = new Map();
  for (const file of files) {
    const targets = new Set();
    for (const fileName of importsOf(readFileSync(file, 'utf8'))) {
      const to = target(file, fileName);
      if (to) targets.add(to);
    }
    edges.set(file, [...targets]);
  }
  return edges;
}

/** Tarjan's strongly connected components with more than one file (or a file importing itself). */
export function circles(edges) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const found = [];
  const visit = (file) => {
    const own = { index, low: index, onStack: true };
    index++;
    state.set(file, own);
    stack.push(file);
    for (const to of edges.get(file) ?? []) {
      const seen = state.get(to);
      if (!seen) {
        visit(to);
        own.low = Math.min(own.low, state.get(to).low);
      } else if (seen.onStack) own.low = Math.min(own.low, seen.index);
    }
    if (own.low === own.index) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        state.get(member).onStack = false;
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || (edges.get(file) ?? []).includes(file)) found.push(component.map((path) => relative(ROOT, path)).sort());
    }
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found;
}

/** Imports against the layering, as `from → to` lines. */
export function upwardImports(edges) {
  const wrong = [];
  for (const [from, targets] of edges) {
    for (const to of targets) {
      if (!allowed(layer(from), layer(to))) wrong.push(`${relative(ROOT, from)} → ${relative(ROOT, to)} (${layer(from)} may not import ${layer(to)})`);
    }
  }
  return wrong.sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const edges = importGraph();
  const loops = circles(edges);
  const wrong = upwardImports(edges);
  console.log(`${edges.size} files, ${[...edges.values()].reduce((sum, list) => sum + list.length, 0)} imports`);
  console.log(`import circles: ${loops.length}`);
  for (const loop of loops) console.log(`  ${loop.length} files: ${loop.join(', ')}`);
  console.log(`imports against the layering: ${wrong.length}`);
  for (const line of wrong) console.log(`  ${line}`);
  process.exitCode = loops.length || wrong.length ? 1 : 0;
}
