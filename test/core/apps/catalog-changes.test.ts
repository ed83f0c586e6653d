import test from 'ava';
import { catalogChanges, describeChanges, hasChanges } from '../../../src/core/apps/catalog-changes.js';
import type { CatalogApp } from '../../../src/core/setup/app-catalog.js';

const app = (id: string, name: string, command = [`/usr/bin/${id}`]): CatalogApp => ({ id, name, kind: 'gui', command, source: `/usr/share/applications/${id}.desktop`, origin: 'discovered' });

test('changes are keyed by the guest id: a new name is a rename, a new command a change, a new id an addition and a removal', (t) => {
  const changes = catalogChanges([app('a', 'A'), app('b', 'B'), app('c', 'C')], [app('a', 'A2'), app('b', 'B', ['/opt/b']), app('d', 'C')]);
  t.deepEqual(changes, { added: ['d'], removed: ['c'], renamed: [{ id: 'a', from: 'A', to: 'A2' }], changed: ['b'] });
  t.true(hasChanges(changes));
  t.is(describeChanges(changes), 'added d; removed c; renamed a (A → A2); changed b');
  const none = catalogChanges([app('a', 'A')], [app('a', 'A')]);
  t.false(hasChanges(none));
  t.is(describeChanges(none), 'no changes');
});
