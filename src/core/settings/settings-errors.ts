import { TwinboxError } from '../../plugin-api/index.js';

export function unknownSetting(key: string): TwinboxError {
  return new TwinboxError('setting-unknown', `there is no setting named "${key}"`, {
    hint: 'run `twinbox config list` to see the settings',
    exit: 'usage',
  });
}

export function invalidSetting(problem: string): TwinboxError {
  return new TwinboxError('setting-invalid', problem, { hint: 'run `twinbox config list` to see each setting with its value', exit: 'usage' });
}

/** A value in settings.json that is not of its key's type: refused rather than guessed at. */
export function invalidStoredSetting(key: string, file: string, problem: string): TwinboxError {
  return new TwinboxError('setting-invalid', `${file}: ${problem}`, {
    hint: `set it again with \`twinbox config set ${key} VALUE\`, or remove it with \`twinbox config unset ${key}\``,
    exit: 'usage',
    details: { key, file },
  });
}

export function policyLocked(key: string, file: string): TwinboxError {
  return new TwinboxError('policy-locked', `${key} is enforced by ${file}`, {
    hint: 'machine policy overrides your settings; ask your administrator to change it',
    exit: 'denied',
    details: { key, file },
  });
}

/** Fail closed: a broken policy file with no last good version may govern this key. */
export function policyUnresolved(key: string, file: string, problem: string): TwinboxError {
  return new TwinboxError('policy-malformed', `${key} may be enforced by ${file}, which is malformed (${problem}) and has no last good version`, {
    hint: 'ask your administrator to fix the policy file; `twinbox policy` shows the problems',
    exit: 'denied',
    details: { key, file, problem },
  });
}
