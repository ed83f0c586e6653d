import test from 'ava';
import type { GuestApp } from 'twinbox/plugin-api';
import { buildCatalog, matchesRule } from '../../../src/core/setup/app-catalog.js';

const app = (id: string, name: string): GuestApp => ({ id, name, kind: 'gui', command: [`/usr/bin/${id}`], source: `/usr/share/applications/${id}.desktop` });
const found = [app('editor', 'Text Editor'), app('debug-console', 'Debug Console'), app('hello', 'Hello')];
const publishing = { autoDiscover: true, include: [] as string[], exclude: [] as string[], apps: [] };

test('a rule matches an app by id or name, with * as a wildcard, ignoring case', (t) => {
  t.true(matchesRule(app('editor', 'Text Editor'), 'text*'));
  t.true(matchesRule(app('editor', 'Text Editor'), 'EDITOR'));
  t.false(matchesRule(app('editor', 'Text Editor'), 'edit'));
  t.true(matchesRule(app('a.b', 'x'), 'a.b'));
  t.false(matchesRule(app('axb', 'x'), 'a.b'), 'a dot is literal');
});

test('without rules every discovered app is published', (t) => {
  t.deepEqual(
    buildCatalog(found, publishing).map((entry) => entry.id),
    ['debug-console', 'hello', 'editor'],
  );
});

test('include rules keep only what they name, then exclude rules drop', (t) => {
  const catalog = buildCatalog(found, { ...publishing, include: ['*e*'], exclude: ['debug-*'] });
  t.deepEqual(catalog.map((entry) => entry.id), ['hello', 'editor']);
});

test('declared apps are always published and replace a discovered app with the same id', (t) => {
  const declared = { id: 'hello', name: 'Hello (declared)', kind: 'command' as const, command: ['/opt/hello'] };
  const catalog = buildCatalog(found, { ...publishing, exclude: ['hello*'], apps: [declared] });
  const hello = catalog.find((entry) => entry.id === 'hello');
  t.like(hello, { name: 'Hello (declared)', origin: 'declared', command: ['/opt/hello'] });
  t.is(catalog.filter((entry) => entry.id === 'hello').length, 1);
  t.true(catalog.filter((entry) => entry.id !== 'hello').every((entry) => entry.origin === 'discovered'));
});
