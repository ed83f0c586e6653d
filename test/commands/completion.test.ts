import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { TWINBOX_BIN, twinbox } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';
import { twinboxLoading } from './loaded-modules.js';

const FILES = {
  'etc/hostname': 'base\n',
  'usr/bin/greet': '#!/bin/sh\necho "hello $*"\n',
  'usr/share/applications/greet.desktop': '[Desktop Entry]\nType=Application\nName=Greeter\nExec=/usr/bin/greet %U\nX-Twinbox-Kind=command\n',
  'usr/share/applications/shell.desktop': '[Desktop Entry]\nType=Application\nName=Shell\nExec=/bin/sh\nTerminal=true\n',
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a real program (bash, zsh, fish) with an argument array. */
function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(program, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A PATH whose `twinbox` is this build's, as `npm i -g` would put it. */
function pathWithTwinbox(t: Parameters<typeof tempDir>[0]): string {
  const bin = join(tempDir(t, 'tbx-bin-'), 'bin');
  mkdirSync(bin);
  symlinkSync(TWINBOX_BIN, join(bin, 'twinbox'));
  return `${bin}:${process.env.PATH}`;
}

const shellMissing = (name: string) => (existsSync(`/usr/bin/${name}`) ? undefined : `${name} is not installed (apt-get install ${name})`);

/** One home with a workspace "office" set up on the fake hypervisor (so it has an app catalog) and stopped again. */
async function officeHome(t: Parameters<typeof testHome>[0]) {
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES, manifest: { hypervisors: { allowed: ['fake'], preferred: ['fake'] } } });
  const setup = await twinbox(['setup', 'office', '--mode', 'silent'], home.env);
  t.is(setup.exitCode, 0, setup.stderr);
  const stop = await twinbox(['stop', 'office', '--force'], home.env);
  t.is(stop.exitCode, 0, stop.stderr);
  return home;
}

test('completion for an unknown shell, or none, exits 2 with the list of shells', async (t) => {
  const tcsh = await twinbox(['completion', 'tcsh']);
  t.is(tcsh.exitCode, 2);
  t.is(tcsh.stdout, '');
  t.regex(tcsh.stderr, /^twinbox completion: no completion for the shell "tcsh": twinbox has scripts for bash, zsh, fish\n/);
  const none = await twinbox(['completion']);
  t.is(none.exitCode, 2);
  t.regex(none.stderr, /bash\|zsh\|fish/);
  const json = await twinbox(['completion', 'csh', '--json']);
  t.is(json.exitCode, 2);
  t.like(JSON.parse(json.stdout), { error: { code: 'usage', exitCode: 2 } });
});

test('bash completes commands, flags, flag values, workspace and app names, and files, in a real bash', async (t) => {
  const home = await officeHome(t);
  const registry = join(home.home, 'data', 'registry.json');
  const before = statSync(registry).mtimeMs;
  const env = { ...home.env, PATH: pathWithTwinbox(t), HOME: home.home };
  // Each case: the words of the command line (the last is being completed) -> COMPREPLY.
  const cases: Array<[string[], string]> = [
    [['twinbox', 'sta'], 'status start'],
    [['twinbox', '--debug', 'sto'], 'stop'],
    [['twinbox', 'l'], 'logs ls'],
    [['twinbox', 'stop', '--'], '--force --timeout --json --help --debug'],
    [['twinbox', 'stop', 'office', '--force', '--t'], '--timeout'],
    [['twinbox', 'stop', ''], 'office'],
    [['twinbox', 'ls', 'o'], 'office'],
    [['twinbox', 'policy', '-w', ''], 'office'],
    [['twinbox', 'run', 'office', ''], 'greet shell'],
    [['twinbox', 'run', '--quiet', 'office', 's'], 'shell'],
    [['twinbox', 'run', 'nowhere', ''], ''],
    [['twinbox', 'setup', 'office', '--mode', ''], 'attended unattended silent'],
    [['twinbox', 'start', 'office', '--mode', 'un'], 'unattended'],
    [['twinbox', 'config', ''], 'get set unset list'],
    [['twinbox', 'config', 'get', 'log.'], 'log.level'],
    [['twinbox', 'completion', ''], 'bash zsh fish'],
    [['twinbox', 'help', 'reso'], ''],
    [['twinbox', 'help', 'res'], 'resume reset restart'],
    [['twinbox', 'install', join(home.home, 'da')], join(home.home, 'data')],
    [['twinbox', 'stop', 'office', '--timeout', ''], ''],
  ];
  const script = [
    'source <(twinbox completion bash) || exit 9',
    'complete -p twinbox',
    'while IFS= read -r line; do',
    '  eval "COMP_WORDS=($line)"',
    '  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))',
    '  COMPREPLY=()',
    '  _twinbox',
    '  printf "%s\\n" "${COMPREPLY[*]}"',
    'done',
  ].join('\n');
  const input = cases.map(([words]) => words.map((word) => `'${word}'`).join(' ')).join('\n');
  const result = await new Promise<Run>((resolve) => {
    const child = execFile('bash', ['-c', script], { env, timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }));
    child.stdin!.end(`${input}\n`);
  });
  t.is(result.code, 0, result.stderr);
  const [spec, ...replies] = result.stdout.split('\n');
  t.is(spec, 'complete -F _twinbox twinbox');
  for (const [index, [words, expected]] of cases.entries()) {
    const reply = (replies[index] ?? '').split(' ').filter(Boolean).sort().join(' ');
    t.is(reply, expected.split(' ').filter(Boolean).sort().join(' '), words.join(' '));
  }
  // Completion read the registry and catalog only: it wrote nothing and started no VM.
  t.is(statSync(registry).mtimeMs, before);
  const status = await twinbox(['status', 'office', '--json'], home.env);
  t.is((JSON.parse(status.stdout) as { state: string }).state, 'stopped');
});

test('bash completion calls back the program typed, even when it is no twinbox on PATH', async (t) => {
  const home = testHome(t);
  await home.install({ name: 'lab' });
  const script = 'source <(node "$1" completion bash); COMP_WORDS=("$1" status l); COMP_CWORD=2; _twinbox; echo "${COMPREPLY[*]}"';
  const result = await run('bash', ['-c', script, 'bash', TWINBOX_BIN], { ...home.env, PATH: process.env.PATH });
  t.is(result.code, 0, result.stderr);
  // complete -F is for the word twinbox; called directly, the function still asks $1 (a path).
  t.is(result.stdout, 'lab\n');
});

test('the hidden name lister reads files only, never loads the terminal UI, and leaves out names a shell cannot take', async (t) => {
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES });
  const dir = join(home.home, 'data', 'workspaces', 'office');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'apps.json'), JSON.stringify({ workspace: 'office', version: '1.0.0', updatedAt: '', apps: [{ id: 'calc' }, { id: 'bad id\u001b' }, { id: 'notes' }] }));
  const system = tempDir(t, 'tbx-system-');
  writeFileSync(join(system, 'registry.json'), JSON.stringify({ workspaces: { shared: { name: 'shared' }, 'evil\nname': {} } }));
  const env = { ...home.env, TWINBOX_SYSTEM_DIR: system };

  const lister = await twinboxLoading(['__complete', 'workspaces'], env);
  t.is(lister.code, 0);
  t.is(lister.stdout, 'office\nshared\n');
  t.true(lister.files.length > 0);
  for (const file of lister.files) t.false(/\buseInput\b|react-reconciler|startsWith\("twinbox-plugin-"\)/.test(readFileSync(file, 'utf8')), `${file} holds no Ink, React or plugin code`);

  const apps = await twinbox(['__complete', 'apps', 'office'], env);
  t.is(apps.stdout, 'calc\nnotes\n');
  const absent = await twinbox(['__complete', 'apps', '../office'], env);
  t.is(absent.stdout, '');
  const wrong = await twinbox(['__complete', 'nonsense'], env);
  t.is(wrong.exitCode, 2);
  t.is(wrong.stderr, '');
  // A damaged registry gives no names and no error: completion never prints one.
  writeFileSync(join(home.home, 'data', 'registry.json'), '{ half a file');
  const damaged = await twinbox(['__complete', 'workspaces'], env);
  t.is(damaged.exitCode, 0);
  t.is(damaged.stdout, 'shared\n');
  t.is(damaged.stderr, '');
});

test('zsh: the script passes zsh -n and completes commands, files and values through compsys calls', async (t) => {
  const missing = shellMissing('zsh');
  if (missing) return t.log(`skipped: ${missing}`), t.pass();
  const home = testHome(t);
  await home.install({ name: 'office' });
  const env = { ...home.env, PATH: pathWithTwinbox(t) };
  const file = join(home.home, '_twinbox');
  writeFileSync(file, (await twinbox(['completion', 'zsh'])).stdout);
  const syntax = await run('zsh', ['-n', file], env);
  t.is(syntax.code, 0, syntax.stderr);
  // Outside a completion widget compadd and friends do not work: stand-ins print what they get.
  const script = [
    'compdef() { print -r -- "compdef $*" }',
    '_describe() { local name=${@[-1]}; print -r -- "${(j: | :)${(@P)name}}" }',
    '_files() { print -r -- "_files $*" }',
    'source "$1"',
    'words=(twinbox sto); CURRENT=2; _twinbox',
    'words=(twinbox stop ""); CURRENT=3; _twinbox',
    'words=(twinbox pack ""); CURRENT=3; _twinbox',
    'words=(twinbox install ""); CURRENT=3; _twinbox',
    'words=(twinbox setup office --mode s); CURRENT=5; _twinbox',
  ].join('\n');
  const result = await run('zsh', ['-f', '-c', script, 'zsh', file], env);
  t.is(result.code, 0, result.stderr);
  t.deepEqual(result.stdout.split('\n'), ['compdef _twinbox twinbox', 'stop:shut a workspace down (gracefully, then forced)', 'office', '_files -/', '_files ', 'silent', '']);
});

test('fish: the script passes fish -n and fish itself completes from it', async (t) => {
  const missing = shellMissing('fish');
  if (missing) return t.log(`skipped: ${missing}`), t.pass();
  const home = testHome(t);
  await home.install({ name: 'office' });
  const env = { ...home.env, PATH: pathWithTwinbox(t), HOME: home.home, XDG_CONFIG_HOME: join(home.home, 'fish-config') };
  const file = join(home.home, 'twinbox.fish');
  writeFileSync(file, (await twinbox(['completion', 'fish'])).stdout);
  const syntax = await run('fish', ['-n', file], env);
  t.is(syntax.code, 0, syntax.stderr);
  const script = 'source $argv[1]; complete -C "twinbox sto"; complete -C "twinbox stop "; complete -C "twinbox setup office --mode u"; complete -C "twinbox run office --"';
  const result = await run('fish', ['--no-config', '-c', script, file], env);
  t.is(result.code, 0, result.stderr);
  // fish sorts the candidates of one command line itself.
  t.deepEqual(result.stdout.split('\n'), [
    'stop\tshut a workspace down (gracefully, then forced)',
    'office',
    'unattended',
    '--debug\tshow stack traces of errors',
    '--help\tshow help',
    '--map-paths',
    '--quiet',
    '',
  ]);
});
