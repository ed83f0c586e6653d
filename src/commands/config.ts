import { resolvePaths } from '../core/paths.js';
import { isSettingKey, type SettingKey } from '../core/settings/keys.js';
import { openSettings } from '../core/settings/open-settings.js';
import { parseSettingValue } from '../core/settings/parse-value.js';
import { unknownSetting } from '../core/settings/settings-errors.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
import { settingsTable, showValue, sourceText } from './settings-table.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

function keyOf(text: string | undefined, usage: string): SettingKey {
  if (text === undefined) throw new UsageError(`missing KEY: ${usage}`);
  if (!isSettingKey(text)) throw unknownSetting(text);
  return text;
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [action, ...rest] = positionals;
  const { settings } = openSettings(resolvePaths(context.env), context.env);
  const print = (text: string) => context.stdout.write(text);

  switch (action) {
    case 'get': {
      if (rest.length > 1) throw new UsageError('too many arguments: twinbox config get KEY');
      const key = keyOf(rest[0], 'twinbox config get KEY');
      const value = settings.get(key);
      print(values.json ? json(settings.describe(key)) : `${showValue(value)}\n`);
      return 0;
    }
    case 'set': {
      if (rest.length !== 2) throw new UsageError('expected KEY and VALUE: twinbox config set KEY VALUE');
      const key = keyOf(rest[0], 'twinbox config set KEY VALUE');
      settings.set(key, parseSettingValue(key, rest[1]!));
      const now = settings.describe(key);
      print(values.json ? json(now) : `${key} = ${showValue(now.value)} (saved in ${settings.path})\n`);
      return 0;
    }
    case 'unset': {
      if (rest.length > 1) throw new UsageError('too many arguments: twinbox config unset KEY');
      const key = keyOf(rest[0], 'twinbox config unset KEY');
      settings.unset(key);
      const now = settings.describe(key);
      print(values.json ? json(now) : `${key} unset; now ${now.value === null ? '-' : showValue(now.value)} (${sourceText(now)})\n`);
      return 0;
    }
    case 'list': {
      if (rest.length > 0) throw new UsageError('too many arguments: twinbox config list');
      const effective = settings.effective();
      print(values.json ? json(effective) : settingsTable(effective));
      return 0;
    }
    case undefined:
      throw new UsageError('missing action: get, set, unset or list');
    default:
      throw new UsageError(`unknown action "${action}": use get, set, unset or list`);
  }
}
