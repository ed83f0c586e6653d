import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { COMMANDS } from '../../src/commands/command-list.js';

const DEFINITIONS = fileURLToPath(new URL('../../src/commands/definitions/', import.meta.url));

test('the command list holds every definition in src/commands/definitions under its file name, and each loads a module with run', async (t) => {
  const files = readdirSync(DEFINITIONS).filter((file) => file.endsWith('.js')).map((file) => file.slice(0, -'.js'.length));
  t.deepEqual(Object.keys(COMMANDS).sort(), files.sort());
  for (const [name, definition] of Object.entries(COMMANDS)) {
    t.is(definition.name, name);
    t.is(typeof (await definition.load()).run, 'function', name);
  }
});
