/**
 * `twinbox __complete`: what the completion scripts call when Tab is pressed. It reads the
 * registries and the app catalogs as files and nothing else: no core, no plugin, no lock, no
 * VM, no Ink. Anything it cannot read it leaves out; completion never prints an error.
 *
 *   __complete workspaces          the installed workspaces (yours and the machine-wide ones)
 *   __complete apps WORKSPACE      the ids of the apps WORKSPACE publishes
 *   __complete words CWORD WORD... the candidates for WORD[CWORD] of the command line WORD...:
 *                                  a first line `:names`, `:files`, `:dirs` or `:none`, then
 *                                  for `:names` one `candidate<TAB>description` per line
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePaths } from '../core/paths.js';
import { systemDirOf } from '../core/system/system-dir.js';
import { GLOBAL_OPTIONS } from './cli-reference.js';
import { ALIASES, COMMANDS } from './command-list.js';
import { commandSpec, sharedFlagWords, type ValueKind } from './command-spec.js';

/** Names a shell can take as one word: anything else (spaces, quotes, controls) is left out. */
const SAFE = /^[A-Za-z0-9._+@%,-][A-Za-z0-9._+@%,:=-]*$/;

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function registryNames(dataDir: string): string[] {
  const workspaces = (readJson(join(dataDir, 'registry.json')) as { workspaces?: unknown } | undefined)?.workspaces;
  return workspaces && typeof workspaces === 'object' && !Array.isArray(workspaces) ? Object.keys(workspaces) : [];
}

export function workspaceNames(env: NodeJS.ProcessEnv): string[] {
  const names = new Set([...registryNames(resolvePaths(env).dataDir), ...registryNames(systemDirOf(env))]);
  return [...names].filter((name) => SAFE.test(name)).sort();
}

/** The app ids in the workspace's catalog (`<data>/workspaces/NAME/apps.json`; a machine-wide workspace's catalog is the user's own too). */
export function appIds(env: NodeJS.ProcessEnv, workspace: string): string[] {
  if (!workspaceNames(env).includes(workspace)) return [];
  const apps = (readJson(join(resolvePaths(env).dataDir, 'workspaces', workspace, 'apps.json')) as { apps?: unknown } | undefined)?.apps;
  if (!Array.isArray(apps)) return [];
  return apps.map((app) => (app as { id?: unknown })?.id).filter((id): id is string => typeof id === 'string' && SAFE.test(id)).sort();
}

async function settingKeys(): Promise<string[]> {
  const { SETTING_KEY_NAMES } = await import('../core/settings/keys.js');
  return [...SETTING_KEY_NAMES];
}

export interface Completion {
  directive: 'names' | 'files' | 'dirs' | 'none';
  /** [candidate, description] */
  names: Array<[string, string]>;
}

const GLOBAL_FLAGS = GLOBAL_OPTIONS.flatMap(([flags, text]) => flags.split(', ').map((flag): [string, string] => [flag, text]));

function names(list: Array<[string, string]> | string[], current: string): Completion {
  const pairs = list.map((item): [string, string] => (typeof item === 'string' ? [item, ''] : item));
  return { directive: 'names', names: pairs.filter(([name]) => name.startsWith(current)) };
}

async function ofKind(kind: ValueKind, current: string, env: NodeJS.ProcessEnv, workspace: string | undefined): Promise<Completion> {
  switch (kind.kind) {
    case 'workspace':
      return names(workspaceNames(env), current);
    case 'app':
      return names(workspace === undefined ? [] : appIds(env, workspace), current);
    case 'file':
      return { directive: 'files', names: [] };
    case 'dir':
      return { directive: 'dirs', names: [] };
    case 'setting':
      return names(await settingKeys(), current);
    case 'words':
      return names(kind.words, current);
    default:
      return { directive: 'none', names: [] };
  }
}

/** The candidates for `words[cword]`; `words[0]` is the program. */
export async function completeWords(cword: number, words: readonly string[], env: NodeJS.ProcessEnv): Promise<Completion> {
  const current = words[cword] ?? '';
  let at = 1;
  while (at < cword && words[at] === '--debug') at++;
  if (at === cword) {
    if (current.startsWith('-')) return names(GLOBAL_FLAGS, current);
    const commands = Object.entries(COMMANDS).map(([name, entry]): [string, string] => [name, entry.summary]);
    const aliases = Object.entries(ALIASES).map(([alias, name]): [string, string] => [alias, `same as ${name.startsWith('-') ? `twinbox ${name}` : name}`]);
    return names([...commands, ...aliases, ['help', 'help on twinbox or one command']], current);
  }
  const typed = words[at]!;
  const command = Object.hasOwn(ALIASES, typed) ? ALIASES[typed]! : typed;
  if (command === 'help') {
    return at + 1 === cword ? names(Object.entries(COMMANDS).map(([name, entry]): [string, string] => [name, entry.summary]), current) : { directive: 'none', names: [] };
  }
  if (!Object.hasOwn(COMMANDS, command)) return { directive: 'none', names: [] };
  const spec = commandSpec(command);
  const shared = sharedFlagWords();
  const flagOf = (word: string) => spec.flags.find((flag) => flag.names.includes(word));
  const valueOf = (word: string): ValueKind | undefined => {
    const flag = flagOf(word);
    if (!flag?.value) return undefined;
    return flag.value.kind === 'none' ? (shared.get(word) ?? flag.value) : flag.value;
  };
  const positionals: string[] = [];
  const used = new Set<string>();
  for (let i = at + 1; i < cword; i++) {
    const word = words[i]!;
    if (word === '--') return spec.passesArgs ? { directive: 'files', names: [] } : { directive: 'none', names: [] };
    if (word.startsWith('-') && word.length > 1) {
      used.add(word.split('=')[0]!);
      if (!word.includes('=') && valueOf(word)) {
        if (i + 1 === cword) return ofKind(valueOf(word)!, current, env, positionals[0]);
        i++;
      }
      continue;
    }
    positionals.push(word);
  }
  if (current.startsWith('-')) {
    const flags = spec.flags
      .filter((flag) => !flag.names.some((each) => used.has(each)))
      .flatMap((flag) => flag.names.filter((each) => each.startsWith('--')).map((each): [string, string] => [each, '']));
    return names([...flags, ['--help', 'show help'], ['--debug', 'show stack traces of errors']], current);
  }
  const slot = spec.positionals[positionals.length];
  if (!slot) return { directive: 'none', names: [] };
  const found: Completion = { directive: 'none', names: [] };
  for (const kind of slot) {
    const each = await ofKind(kind, current, env, positionals[positionals.length - 1]);
    if (each.directive !== 'names') return each;
    found.directive = 'names';
    found.names.push(...each.names);
  }
  return found;
}

/** Runs `twinbox __complete ARGS`; exit 2 (and nothing printed) for arguments it does not know. */
export async function completeNames(args: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): Promise<number> {
  const [what, ...rest] = args;
  if (what === 'workspaces' && rest.length === 0) {
    out.write(workspaceNames(env).map((name) => `${name}\n`).join(''));
    return 0;
  }
  if (what === 'apps' && rest.length === 1) {
    out.write(appIds(env, rest[0]!).map((id) => `${id}\n`).join(''));
    return 0;
  }
  const cword = Number(rest[0]);
  if (what === 'words' && Number.isInteger(cword) && cword >= 1 && rest.length >= 2) {
    const words = rest.slice(1);
    const result = await completeWords(cword, words, env);
    out.write(`:${result.directive}\n${result.names.map(([name, text]) => `${name}${text ? `\t${text}` : ''}\n`).join('')}`);
    return 0;
  }
  return 2;
}
