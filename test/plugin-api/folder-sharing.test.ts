import test from 'ava';
import { apiIncompatibility, defineHypervisorPlugin, FOLDER_SHARING, PLUGIN_API_VERSION, SHARE_TAG_PATTERN } from 'twinbox/plugin-api';

const noop = async () => undefined;

function plugin(folderSharing?: { ways: Array<(typeof FOLDER_SHARING)[number]>; note?: string }) {
  return defineHypervisorPlugin({
    name: 'tiny',
    displayName: 'Tiny',
    context: () => ({}),
    capabilities: { linkedClones: false, suspend: false, pause: false, snapshots: false, channels: true, importFormats: ['raw'], createFormats: ['raw'] },
    ...(folderSharing ? { folderSharing } : {}),
    provider: { detect: async () => ({ usable: true, reason: '' }), state: async () => ({ state: 'stopped' as const, reason: '' }) },
    actions: {
      importImage: async () => ({ path: '/b.raw', format: 'raw' as const, sizeBytes: 1 }),
      create: async (_context: unknown, spec: { id: string; vmDir: string }) => ({ id: spec.id, vmDir: spec.vmDir }),
      start: noop,
      stop: async () => ({ how: 'already-stopped' as const }),
      pause: noop,
      suspend: noop,
      resume: noop,
      remove: noop,
      listSnapshots: async () => [],
      createSnapshot: noop,
      restoreSnapshot: noop,
      deleteSnapshot: noop,
    },
    caps: { openChannel: async () => Promise.reject(new Error('none')) },
  });
}

test('folderSharing (API 1.3): what the definition says, frozen; left out, none', (t) => {
  const Sharing = plugin({ ways: ['9p'], note: 'needs 9pnet_virtio' });
  const sharing = new Sharing(undefined).folderSharing;
  t.deepEqual(sharing, { ways: ['9p'], note: 'needs 9pnet_virtio' });
  t.true(Object.isFrozen(sharing) && Object.isFrozen(sharing.ways));
  const Plain = plugin();
  t.deepEqual(new Plain(undefined).folderSharing, { ways: [] });
  t.deepEqual([...FOLDER_SHARING], ['9p', 'rdp-drive']);
});

test('the API is 1.3: plugins built for 1.0–1.3 load, one built for 1.4 does not', (t) => {
  t.is(PLUGIN_API_VERSION, '1.3.0');
  for (const version of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) t.is(apiIncompatibility(version), undefined, version);
  t.regex(apiIncompatibility('1.4.0') ?? '', /upgrade twinbox/);
});

test('SHARE_TAG_PATTERN takes letters, digits, - and _ up to 31 bytes', (t) => {
  t.true(SHARE_TAG_PATTERN.test('tbx0-documents'));
  t.true(SHARE_TAG_PATTERN.test('a'.repeat(31)));
  for (const bad of ['', 'a'.repeat(32), 'a,b', 'a b', 'tag=1', 'ä']) t.false(SHARE_TAG_PATTERN.test(bad), bad);
});
