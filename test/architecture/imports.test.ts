import test from 'ava';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../helpers/processes.js';

const CHECKER = fileURLToPath(new URL('../../../scripts/import-graph.js', import.meta.url));

test('the sources have no import circle and no import against the layering ui/commands → core → plugin-api ← plugins', async (t) => {
  const result = await run(process.execPath, [CHECKER]);
  t.log(result.stdout.split('\n')[0]);
  t.is(result.exitCode, 0, result.stdout + result.stderr);
  t.regex(result.stdout, /^import circles: 0$/m);
  t.regex(result.stdout, /^imports against the layering: 0$/m);
});

test('the checker finds a circle (type-only and dynamic imports included) and a core file importing the ui or a plugin', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'twinbox-imports-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'src/commands/table.ts': "export const table = [{ load: () => import('./stop.js') }];\n",
    'src/commands/stop.ts': "import type { Table } from './table.js';\nexport const stop = 1;\n",
    'src/core/status.ts': "import { view } from '../ui/view.js';\nimport { qemu } from '../../plugins/qemu/plugin.js';\n/** import { x } from '../commands/table.js' in a comment is not an import */\nexport const status = 1;\n",
    'src/ui/view.ts': 'export const view = 1;\n',
    'plugins/qemu/plugin.ts': "import { defineHypervisorPlugin } from 'twinbox/plugin-api';\nimport { status } from '../../src/core/status.js';\n",
    'src/plugin-api/index.ts': 'export const defineHypervisorPlugin = 1;\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const result = await run(process.execPath, [CHECKER, root]);
  t.is(result.exitCode, 1);
  t.regex(result.stdout, /^import circles: 2$/m);
  t.regex(result.stdout, /^ {2}2 files: src\/commands\/stop\.ts, src\/commands\/table\.ts$/m);
  t.regex(result.stdout, /^ {2}2 files: plugins\/qemu\/plugin\.ts, src\/core\/status\.ts$/m);
  t.regex(result.stdout, /^imports against the layering: 3$/m);
  t.regex(result.stdout, /src\/core\/status\.ts → src\/ui\/view\.ts \(core may not import ui\)/);
  t.regex(result.stdout, /src\/core\/status\.ts → plugins\/qemu\/plugin\.ts \(core may not import plugin:qemu\)/);
  t.regex(result.stdout, /plugins\/qemu\/plugin\.ts → src\/core\/status\.ts \(plugin:qemu may not import core\)/);
});
