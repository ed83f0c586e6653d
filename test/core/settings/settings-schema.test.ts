import test from 'ava';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { SETTING_KEY_NAMES, SETTING_KEYS, computerNameRule, redirectUrlRule, type SettingKey } from '../../../src/core/settings/keys.js';
import { SETTINGS_AJV_OPTIONS, SETTINGS_SCHEMA } from '../../../src/core/settings/settings-schema.js';
import { checkSetting } from '../../../src/core/settings/validate-setting.js';

const seed = Number(process.env.TWINBOX_FUZZ_SEED ?? 20261206);
const runs = Number(process.env.TWINBOX_FUZZ_RUNS ?? 300);

/** Each key's schema compiled as conf compiles settings.json's (conf's ajv options, then ours). */
const confAjvOptions = { allErrors: true, useDefaults: true };
const ajv = new Ajv2020({ ...confAjvOptions, ...SETTINGS_AJV_OPTIONS });
const validators = new Map(SETTING_KEY_NAMES.map((key) => [key, ajv.compile(SETTINGS_SCHEMA[key])]));

const text = fc.oneof(fc.string(), fc.stringMatching(/^[a-z][a-z0-9-]{0,45}$/), fc.stringMatching(computerNameRule.pattern), fc.stringMatching(redirectUrlRule.pattern), fc.constantFrom('', '@staff', 'alice', 'qemu'));
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: -5, max: 2_000_000 }),
  text,
  fc.array(text, { maxLength: 4 }),
  fc.dictionary(text, fc.oneof(fc.array(text, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })), { maxKeys: 3 }),
  fc.constantFrom('error', 'silent', 'at-logon', 'nat', 'suspend', 'skip', 'wait', 'Sun 03:00', 'Mon..Fri 22:30', 'Sat..Mon 03:00', true, false, null),
);

test('the schema conf checks settings.json against accepts exactly what the key table accepts', (t) => {
  const accepted = new Map<SettingKey, number>();
  fc.assert(
    fc.property(fc.constantFrom(...SETTING_KEY_NAMES), value, (key: SettingKey, candidate) => {
      const ok = checkSetting(key, candidate).ok;
      if (ok) accepted.set(key, (accepted.get(key) ?? 0) + 1);
      return ok === validators.get(key)!(candidate);
    }),
    { seed, numRuns: runs * SETTING_KEY_NAMES.length },
  );
  // Both sides of every rule were tried: each key took some values and refused others.
  for (const key of SETTING_KEY_NAMES) t.true((accepted.get(key) ?? 0) > 0, key);
});

test("the schema declares each key's default and description from the key table", (t) => {
  t.deepEqual(Object.keys(SETTINGS_SCHEMA), SETTING_KEY_NAMES);
  for (const key of SETTING_KEY_NAMES) {
    t.like(SETTINGS_SCHEMA[key], { default: SETTING_KEYS[key].default, description: SETTING_KEYS[key].description }, key);
    t.true(validators.get(key)!(structuredClone(SETTING_KEYS[key].default)), key);
  }
});
