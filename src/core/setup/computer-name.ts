import { randomInt } from 'node:crypto';
import { TwinboxError } from '../../plugin-api/index.js';

/** NetBIOS names, and so Windows computer names, stop at 15 characters; Linux guests keep the same rule. */
export const MAX_COMPUTER_NAME_LENGTH = 15;
const RANDOM_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface MaskInputs {
  /** The host user's name, for `%username%`. */
  username: string;
  /** The host's name, for `%hostname%` (only its first label is used). */
  hostname: string;
  /** A random integer in [0, below); replaceable so that tests are repeatable. */
  random?: (below: number) => number;
}

/** Characters a computer name may not hold are dropped from substituted values ("john.doe" → "johndoe"). */
function sanitize(value: string): string {
  return value.replace(/[^A-Za-z0-9-]/g, '');
}

function badMask(mask: string, problem: string): TwinboxError {
  return new TwinboxError('computer-name-mask', `computer-name mask "${mask}" is invalid: ${problem}`, {
    hint: 'fix setup.computerName in workspace.json and repack the workspace',
    exit: 'usage',
  });
}

/** Why a name cannot be a computer name, or undefined when it can. */
export function computerNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_COMPUTER_NAME_LENGTH) return `it is longer than ${MAX_COMPUTER_NAME_LENGTH} characters`;
  if (!/^[A-Za-z0-9-]+$/.test(name)) return 'use only letters, digits and dashes';
  if (name.startsWith('-') || name.endsWith('-')) return 'it may not start or end with a dash';
  if (/^[0-9]+$/.test(name)) return 'it may not be digits only';
  return undefined;
}

/**
 * Expands MED-V's computer-name mask. The mask is read left to right as elements:
 * - a run of letters, digits and dashes is kept as written;
 * - `#` becomes one random digit;
 * - `%username%` and `%hostname%` become the host user's name and the host's name (its first
 *   label), without the characters a computer name may not hold;
 * - `[n]` keeps only the first n characters of the element right before it
 *   (`%username%[4]` → "john"), and is an error at the start of the mask;
 * - a trailing `*` fills up with random letters and digits to 15 characters.
 * The result is cut to 15 characters and stripped of leading and trailing dashes; a result
 * that is empty or digits only is an error.
 */
export function expandComputerNameMask(mask: string, inputs: MaskInputs): string {
  const random = inputs.random ?? ((below: number) => randomInt(below));
  const elements: string[] = [];
  let fill = false;
  let position = 0;
  while (position < mask.length) {
    const rest = mask.slice(position);
    if (fill) throw badMask(mask, '`*` may only come last');
    const lower = rest.toLowerCase();
    if (lower.startsWith('%username%')) {
      elements.push(sanitize(inputs.username));
      position += '%username%'.length;
      continue;
    }
    if (lower.startsWith('%hostname%')) {
      elements.push(sanitize(inputs.hostname.split('.')[0] ?? ''));
      position += '%hostname%'.length;
      continue;
    }
    const keep = /^\[(\d{1,2})\]/.exec(rest);
    if (keep) {
      if (elements.length === 0) throw badMask(mask, '`[n]` needs something before it to shorten');
      elements[elements.length - 1] = elements[elements.length - 1]!.slice(0, Number(keep[1]));
      position += keep[0].length;
      continue;
    }
    const char = rest[0]!;
    if (char === '#') {
      elements.push(String(random(10)));
      position += 1;
      continue;
    }
    if (char === '*') {
      fill = true;
      position += 1;
      continue;
    }
    const literal = /^[A-Za-z0-9-]+/.exec(rest);
    if (!literal) throw badMask(mask, `"${char}" is not allowed`);
    elements.push(literal[0]);
    position += literal[0].length;
  }
  let name = elements.join('');
  if (fill) {
    while (name.length < MAX_COMPUTER_NAME_LENGTH) name += RANDOM_CHARACTERS[random(RANDOM_CHARACTERS.length)];
  }
  name = name.slice(0, MAX_COMPUTER_NAME_LENGTH).replace(/^-+|-+$/g, '');
  const problem = computerNameProblem(name);
  if (problem) throw badMask(mask, `it gives "${name}", which cannot be a computer name: ${problem}`);
  return name;
}
