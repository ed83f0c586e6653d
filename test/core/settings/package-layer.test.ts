import test from 'ava';
import { packageLayerOf } from '../../../src/core/settings/package-layer.js';
import { SETTING_KEY_NAMES, SETTING_KEYS } from '../../../src/core/settings/keys.js';
import { computerNameMask, urlRule, workspaceManifestSchema } from '../../../src/core/package/manifest-schema.js';
import { checkSetting } from '../../../src/core/settings/validate-setting.js';

test('only the fields a workspace.json states become package defaults', (t) => {
  const layer = packageLayerOf('office', {
    name: 'office',
    setup: { mode: 'silent', maxRetries: 1 },
    closeAction: 'shutdown',
    vm: { network: 'bridged' },
    redirection: { urls: ['https://intranet.example/*'] },
  });
  t.deepEqual(layer, {
    workspace: 'office',
    values: {
      'setup.mode': 'silent',
      'setup.maxRetries': 1,
      'redirection.urls': ['https://intranet.example/*'],
      'workspace.closeAction': 'shutdown',
      'vm.network': 'bridged',
    },
  });
});

test('packages may set only the keys marked for them, never policy-only keys', (t) => {
  const packaged = SETTING_KEY_NAMES.filter((key) => SETTING_KEYS[key].packagePath);
  for (const key of ['log.level', 'plugins.allowed', 'plugins.paths', 'security.requireSignature', 'security.trustedKeys', 'access.workspaces'] as const) {
    t.false(packaged.includes(key), key);
  }
});

test('the package defaults agree with the built-in defaults, so leaving a field out changes nothing', (t) => {
  const filled = workspaceManifestSchema.parse({ name: 'x', version: '1.0.0', image: { file: 'disk.qcow2', format: 'qcow2', sha256: '0'.repeat(64) } });
  const layer = packageLayerOf('x', filled);
  for (const [key, value] of Object.entries(layer.values)) t.deepEqual(value, SETTING_KEYS[key as keyof typeof SETTING_KEYS].default, key);
  t.is(Object.keys(layer.values).length, SETTING_KEY_NAMES.filter((key) => SETTING_KEYS[key].packagePath).length);
});

test('settings accept exactly the computer-name masks and URL rules a workspace.json accepts', (t) => {
  const masks = ['TWINBOX*', 'OFFICE-###', '%username%-[4]*', 'a*b', 'has space', '', 'x'.repeat(65), '[123]', '*'];
  for (const mask of masks) t.is(checkSetting('setup.computerName', mask).ok, computerNameMask.safeParse(mask).success, mask);
  const urls = ['https://intranet.example/*', 'http://x', 'ftp://x', 'https://has space', 'https://'];
  for (const url of urls) t.is(checkSetting('redirection.urls', [url]).ok, urlRule.safeParse(url).success, url);
});
