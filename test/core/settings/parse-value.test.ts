import test from 'ava';
import { parseSettingValue } from '../../../src/core/settings/parse-value.js';

test('text settings take the value as typed, without JSON quoting', (t) => {
  t.is(parseSettingValue('log.level', 'debug'), 'debug');
  t.is(parseSettingValue('setup.computerName', 'OFFICE-###'), 'OFFICE-###');
  t.is(parseSettingValue('vm.network', 'bridged'), 'bridged');
});

test('numbers, booleans, lists and maps are read as JSON', (t) => {
  t.is(parseSettingValue('setup.maxRetries', '5'), 5);
  t.is(parseSettingValue('publishing.enabled', 'false'), false);
  t.deepEqual(parseSettingValue('plugins.allowed', '["qemu","qga"]'), ['qemu', 'qga']);
  t.deepEqual(parseSettingValue('access.workspaces', '{"office":["alice","@staff"]}'), { office: ['alice', '@staff'] });
});

test('a value that is not JSON or not of the type is refused with exit 2 naming the expected type', (t) => {
  const cases: Array<[Parameters<typeof parseSettingValue>[0], string, string]> = [
    ['setup.maxRetries', 'five', 'setup.maxRetries expects a whole number from 0 to 10, not five (not JSON)'],
    ['setup.maxRetries', '2.5', 'setup.maxRetries expects a whole number from 0 to 10, not 2.5'],
    ['publishing.enabled', 'yes', 'publishing.enabled expects true or false, not yes (not JSON)'],
    ['publishing.enabled', '"true"', 'publishing.enabled expects true or false, not "true"'],
    ['plugins.allowed', 'qemu', 'plugins.allowed expects a JSON array of plugin names, not qemu (not JSON)'],
    ['log.level', 'verbose', 'log.level expects one of error, warn, info, debug, not "verbose"'],
  ];
  for (const [key, text, message] of cases) {
    const error = t.throws(() => parseSettingValue(key, text));
    t.like(error, { code: 'setting-invalid', exitCode: 2, message }, `${key} ${text}`);
  }
  t.regex(t.throws(() => parseSettingValue('access.workspaces', '{"office":"alice"}'))!.message, /expects a JSON object mapping workspace names.*\("office": not an array\)$/);
});

test('a value nested 5,000 arrays deep is refused with exit 2 like any other value of the wrong type', (t) => {
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  const cases: Array<[Parameters<typeof parseSettingValue>[0], string]> = [
    ['plugins.paths', 'plugins.paths expects a JSON array of folder paths, not [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[... (item 0: not a string)'],
    ['setup.maxRetries', 'setup.maxRetries expects a whole number from 0 to 10, not [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...'],
    ['access.workspaces', `access.workspaces expects a JSON object mapping workspace names to arrays of user names and @groups, not [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...`],
  ];
  for (const [key, message] of cases) {
    const error = t.throws(() => parseSettingValue(key, deep));
    t.like(error, { code: 'setting-invalid', exitCode: 2, message }, key);
  }
  const inMap = t.throws(() => parseSettingValue('access.workspaces', `{"office":${deep}}`));
  t.like(inMap, { code: 'setting-invalid', exitCode: 2 });
  t.regex(inMap!.message, /^access\.workspaces expects .*, not \{"office":\[\[\[.*\.\.\. \("office": item 0: not a string\)$/);
});

test('hosts: names to ssh:// addresses, checked as --host checks them; "local" is this machine', (t) => {
  t.deepEqual(parseSettingValue('hosts', '{"build-7":"ssh://admin@build-7.example.com:2222","lab":"ssh://[fe80::1]"}'), { 'build-7': 'ssh://admin@build-7.example.com:2222', lab: 'ssh://[fe80::1]' });
  t.deepEqual(parseSettingValue('hosts', '{}'), {});
  t.is(
    t.throws(() => parseSettingValue('hosts', '{"lab":"ssh://-oProxyCommand=id"}'))!.message,
    'hosts expects a JSON object mapping host names to ssh://[user@]host[:port] addresses, not {"lab":"ssh://-oProxyCommand=id"} ("lab": "ssh://-oProxyCommand=id" is not a host address: the host "-oProxyCommand=id" may hold only letters, digits, "." and "-", and not start with "-")',
  );
  t.regex(t.throws(() => parseSettingValue('hosts', '{"lab":"ssh://h;id"}'))!.message, /"lab": "ssh:\/\/h;id" is not a host address/);
  t.regex(t.throws(() => parseSettingValue('hosts', '{"local":"ssh://h"}'))!.message, /"local": .*not "local", which is this machine/);
  t.regex(t.throws(() => parseSettingValue('hosts', '{"lab":["ssh://h"]}'))!.message, /"lab": not a string\)$/);
});
