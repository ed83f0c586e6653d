import type { SettingsProblem } from '../settings/effective-setting.js';
import type { PolicyFileReport } from './machine-policy.js';

/** What is wrong with the policy files, as `twinbox policy` lists it. */
export function policyFileProblems(files: readonly PolicyFileReport[]): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  for (const { file, status, problem, lastGoodSince, unknownKeys } of files) {
    if (status === 'last-good') {
      problems.push({ file, severity: 'error', message: `malformed: ${problem}; its last good version (first seen ${lastGoodSince}) stays in force` });
    } else if (status === 'refused') {
      problems.push({ file, severity: 'error', message: `malformed: ${problem}; no last good version is known, so the settings it may set are refused` });
    }
    if (unknownKeys) problems.push({ file, severity: 'warning', message: `unknown settings, ignored: ${unknownKeys.join(', ')}` });
  }
  return problems;
}
