import { COMMANDS } from './command-list.js';

/** What a word in a command line is: what completion offers for it. */
export type ValueKind =
  | { kind: 'workspace' }
  | { kind: 'app' }
  | { kind: 'file' }
  | { kind: 'dir' }
  | { kind: 'setting' }
  | { kind: 'words'; words: string[] }
  | { kind: 'none' };

export interface FlagSpec {
  /** `--timeout`, and its short form when it has one. */
  names: string[];
  /** What the flag's value is; absent for a flag that takes none. */
  value?: ValueKind;
}

export interface CommandSpec {
  name: string;
  flags: FlagSpec[];
  /** What each positional argument may be (the union over the command's usage lines). */
  positionals: ValueKind[][];
  /** Whether `-- ARGS...` follows: words after `--` are the app's. */
  passesArgs: boolean;
}

const METAVAR = /^(?:[A-Z][A-Z_]*(?:\|[A-Z][A-Z_]*)*|[a-z][a-z-]*(?:\|[a-z][a-z-]*)+|-)$/;

/** What a metavariable of the help text (NAME, FILE, attended|unattended|silent) stands for. */
function kindOf(metavar: string): ValueKind {
  if (/^[a-z]/.test(metavar)) return { kind: 'words', words: metavar.split('|') };
  const parts = metavar.split('|');
  if (parts.some((part) => part === 'WORKSPACE' || part === 'NAME')) return { kind: 'workspace' };
  if (parts.includes('APP')) return { kind: 'app' };
  if (parts.includes('DIR')) return { kind: 'dir' };
  if (parts.some((part) => part.endsWith('FILE'))) return { kind: 'file' };
  if (parts.includes('KEY')) return { kind: 'setting' };
  return { kind: 'none' };
}

/**
 * The flags and arguments of a command, read from its help text in its definition — the
 * text `--help` prints — so completion cannot drift from it: the usage lines (`twinbox stop
 * NAME [--force] [--timeout S]`) and the option lines (`  --lines N, -n N   how many ...`).
 */
export function commandSpec(name: string): CommandSpec {
  const help = COMMANDS[name]!.help;
  const flags = new Map<string, FlagSpec>();
  const addFlag = (names: string[], value: ValueKind | undefined): void => {
    const known = names.map((flag) => flags.get(flag)).find(Boolean);
    if (known) {
      for (const flag of names) if (!known.names.includes(flag)) known.names.push(flag);
      if (value && (!known.value || (known.value.kind === 'none' && value.kind !== 'none'))) known.value = value;
    } else {
      const spec: FlagSpec = { names: [...names], ...(value ? { value } : {}) };
      for (const flag of names) flags.set(flag, spec);
    }
  };
  const positionals: ValueKind[][] = [];
  let passesArgs = false;

  const usageBlock = help.split('\n\n')[0]!;
  for (const line of usageBlock.split('\n')) {
    // Brackets are kept as words: a flag's value is the next word within the same brackets.
    const words = line
      .replace(/^\s*(?:Usage:)?\s*twinbox\s+\S+/, '')
      .replace(/([[\]])/g, ' $1 ')
      .split(/\s+/)
      .filter((word) => word && word !== '|' && !word.endsWith('...'));
    let position = 0;
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (word === '[' || word === ']') continue;
      if (word === '--') {
        passesArgs = true;
        break;
      }
      if (word.startsWith('-')) {
        const next = words[i + 1];
        const value = next !== undefined && METAVAR.test(next) ? kindOf(next) : undefined;
        addFlag([word], value);
        if (value) i++;
        continue;
      }
      const kind: ValueKind = METAVAR.test(word) ? kindOf(word) : { kind: 'words', words: [word] };
      const slot = (positionals[position] ??= []);
      const same = slot.find((known) => known.kind === kind.kind);
      if (!same) {
        slot.push(kind);
      } else if (same.kind === 'words' && kind.kind === 'words') {
        for (const each of kind.words) if (!same.words.includes(each)) same.words.push(each);
      }
      position++;
    }
  }

  // Option lines: two spaces, the flag with its short form and value, two or more spaces, the text.
  for (const match of help.matchAll(/^ {2}(-[^\s,]+(?:,? [^\s]+)*?)(?: {2,}|$)/gm)) {
    const parts = match[1]!.split(/,\s*/);
    const last = parts.at(-1)!.split(' ');
    const value = last.length > 1 && METAVAR.test(last.at(-1)!) ? kindOf(last.at(-1)!) : undefined;
    addFlag(
      parts.map((part) => part.split(' ')[0]!).filter((flag) => /^--?[a-zA-Z]/.test(flag)),
      value,
    );
  }
  return { name, flags: [...new Set(flags.values())], positionals, passesArgs };
}

/** Values a flag of one command lists (setup's `--mode attended|unattended|silent`) apply where another names it only `--mode M`. */
export function sharedFlagWords(): Map<string, ValueKind> {
  const words = new Map<string, ValueKind>();
  for (const name of Object.keys(COMMANDS)) {
    for (const flag of commandSpec(name).flags) {
      if (flag.value?.kind === 'words') for (const each of flag.names) if (each.startsWith('--')) words.set(each, flag.value);
    }
  }
  return words;
}
