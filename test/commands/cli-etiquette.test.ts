import { execFile } from 'node:child_process';
import test from 'ava';
import { closestNames, didYouMean, editDistance } from '../../src/commands/usage-error.js';
import { escapeControls, jsonLine } from '../../src/commands/format.js';
import { TWINBOX_BIN, twinbox } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { testHome } from '../core/workspace/helpers/installed-workspace.js';
import { twinboxLoading } from './loaded-modules.js';

const FILES = {
  'etc/hostname': 'base\n',
  'usr/bin/greet': '#!/bin/sh\necho "hello $*"\n',
  'usr/share/applications/greet.desktop': '[Desktop Entry]\nType=Application\nName=Greeter\nExec=/usr/bin/greet %U\nX-Twinbox-Kind=command\n',
  'usr/share/applications/shell.desktop': '[Desktop Entry]\nType=Application\nName=Shell\nExec=/bin/sh\nTerminal=true\n',
  'usr/share/applications/viewer.desktop': '[Desktop Entry]\nType=Application\nName=Viewer\nExec=/usr/bin/viewer\n',
};

/** A pipeline in a real bash: `twinbox ARGS | READER`; prints twinbox's exit code last. */
function pipeline(args: string[], reader: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string; twinboxExit: number }> {
  // $0 is twinbox, $1 how many of the arguments are its; the rest is the reader.
  const script = 'node "$0" "${@:2:$1}" | "${@:$1+2}"; echo "exit=${PIPESTATUS[0]}"';
  return new Promise((resolve) => {
    execFile('bash', ['-c', script, TWINBOX_BIN, String(args.length), ...args, ...reader], { env: { ...process.env, ...env }, timeout: 60_000 }, (_error, stdout, stderr) => {
      const match = /exit=(\d+)\n$/.exec(stdout);
      resolve({ stdout: stdout.replace(/exit=\d+\n$/, ''), stderr, twinboxExit: match ? Number(match[1]) : -1 });
    });
  });
}

test('a reader that goes away ends twinbox quietly with exit 0: status --json | true, --help | head -1, apps | head -1', async (t) => {
  const home = testHome(t);
  await home.install({ name: 'office', files: FILES, manifest: { hypervisors: { allowed: ['fake'], preferred: ['fake'] } } });
  const setup = await twinbox(['setup', 'office', '--mode', 'silent'], home.env);
  t.is(setup.exitCode, 0, setup.stderr);
  for (let round = 0; round < 3; round++) {
    const status = await pipeline(['status', '--json'], ['true'], home.env);
    t.is(status.stderr, '', 'no EPIPE stack trace');
    t.is(status.twinboxExit, 0);
  }
  const help = await pipeline(['--help'], ['head', '-1'], home.env);
  t.is(help.stdout, 'twinbox: run a second operating system beside the host and use its applications from a terminal.\n');
  t.is(help.stderr, '');
  t.is(help.twinboxExit, 0);
  const apps = await pipeline(['apps'], ['head', '-1'], home.env);
  t.regex(apps.stdout, /^\S+.*\n$/);
  t.is(apps.stderr, '');
  t.is(apps.twinboxExit, 0);
  const plugins = await pipeline(['plugins'], ['true'], home.env);
  t.is(plugins.stderr, '');
  t.is(plugins.twinboxExit, 0);
  // Arguments after -- are the app's: --help and --debug there reach it instead of twinbox.
  const passed = await twinbox(['--debug', 'run', '--quiet', 'office', 'greet', '--', '--help', '--debug', '--json'], home.env);
  t.is(passed.exitCode, 0, passed.stderr);
  t.is(passed.stdout, 'hello --help --debug --json\n');
});

test('unknown commands and help on one exit 2 with the closest commands', async (t) => {
  const nope = await twinbox(['help', 'nope']);
  t.is(nope.exitCode, 2);
  t.is(nope.stdout, '');
  t.is(nope.stderr, 'twinbox: unknown command "nope"\nhint: did you mean "open"? run `twinbox --help` for the list of commands\n');
  const typo = await twinbox(['stauts']);
  t.is(typo.exitCode, 2);
  t.regex(typo.stderr, /^twinbox: unknown command "stauts"\nhint: did you mean "status" or "start"\?/);
  const prefix = await twinbox(['uninst', 'x']);
  t.regex(prefix.stderr, /did you mean "uninstall"\?/);
  const far = await twinbox(['zzzzzzzz']);
  t.is(far.exitCode, 2);
  t.is(far.stderr, 'twinbox: unknown command "zzzzzzzz"\nhint: run `twinbox --help` for the list of commands\n');
  const option = await twinbox(['--frob']);
  t.is(option.exitCode, 2);
  t.regex(option.stderr, /^twinbox: unknown option "--frob"\n/);
  const helpHelp = await twinbox(['help', 'help']);
  t.is(helpHelp.exitCode, 0);
  t.regex(helpHelp.stdout, /^twinbox: run a second operating system/);
});

test('aliases: ls is status, version is --version, and help knows them', async (t) => {
  const home = tempDir(t);
  const [ls, status, version, flag, helpLs, helpStatus] = await Promise.all([
    twinbox(['ls', '--json'], { TWINBOX_HOME: home }),
    twinbox(['status', '--json'], { TWINBOX_HOME: home }),
    twinbox(['version']),
    twinbox(['--version']),
    twinbox(['help', 'ls']),
    twinbox(['status', '--help']),
  ]);
  t.is(ls.exitCode, 0, ls.stderr);
  t.is(ls.stdout, status.stdout);
  t.is(version.exitCode, 0);
  t.regex(version.stdout, /^\d+\.\d+\.\d+/);
  t.is(version.stdout, flag.stdout);
  t.is(helpLs.stdout, helpStatus.stdout);
  t.regex((await twinbox(['--help'])).stdout, /Aliases: ls = status, version = --version/);
});

test('--debug before the command is the global option the README lists', async (t) => {
  const home = tempDir(t);
  const before = await twinbox(['--debug', 'status', '--json'], { TWINBOX_HOME: home });
  const after = await twinbox(['status', '--json', '--debug'], { TWINBOX_HOME: home });
  t.is(before.exitCode, 0, before.stderr);
  t.is(before.stdout, after.stdout);
  t.deepEqual(JSON.parse(before.stdout), []);
  const failing = await twinbox(['--debug', 'stop', 'absent'], { TWINBOX_HOME: home });
  t.is(failing.exitCode, 2);
  t.regex(failing.stderr, /no workspace named "absent"[\s\S]*\n\s+at /, 'the stack trace is shown');
  const plain = await twinbox(['--debug'], { TWINBOX_HOME: home });
  t.is(plain.exitCode, 0, plain.stderr);
  t.regex(plain.stdout, /no workspaces are installed/);
});

test('under --json usage errors are JSON on standard output, like every other error', async (t) => {
  const home = tempDir(t);
  const cases: Array<[string[], RegExp]> = [
    [['frob', '--json'], /^unknown command "frob"$/],
    [['stop', '--json'], /^give exactly one workspace name$/],
    [['status', '--frob', '--json'], /Unknown option '--frob'/],
    [['--debug', 'help', 'nope', '--json'], /^unknown command "nope"$/],
  ];
  for (const [args, message] of cases) {
    const result = await twinbox(args, { TWINBOX_HOME: home });
    t.is(result.exitCode, 2, args.join(' '));
    t.is(result.stderr, '', args.join(' '));
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string; hint: string; exitCode: number } };
    t.is(error.code, 'usage');
    t.is(error.exitCode, 2);
    t.regex(error.message, message);
    t.regex(error.hint, /--help/);
  }
  const known = await twinbox(['stop', 'absent', '--json'], { TWINBOX_HOME: home });
  t.like(JSON.parse(known.stdout), { error: { code: 'workspace-not-found', exitCode: 2 } });
});

test('control characters in echoed input are shown escaped in every error, plain and JSON', async (t) => {
  const home = tempDir(t);
  const name = 'a\u001b[31mred\u0007\nforged: line\r\u009b2J';
  const plain = await twinbox(['status', name], { TWINBOX_HOME: home });
  t.is(plain.exitCode, 2);
  t.is(plain.stderr, 'twinbox: no workspace named "a\\x1b[31mred\\x07\\nforged: line\\r\\x9b2J" is installed\nhint: run `twinbox status` to list the installed workspaces\n');
  const command = await twinbox([`\u001b]0;title\u0007`], { TWINBOX_HOME: home });
  t.is(command.stderr.split('\n')[0], 'twinbox: unknown command "\\x1b]0;title\\x07"');
  const debug = await twinbox(['--debug', 'stop', name], { TWINBOX_HOME: home });
  t.false(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(debug.stderr), 'nor in the stack trace');
  const json = await twinbox(['status', name, '--json'], { TWINBOX_HOME: home });
  t.false(/[\u0000-\u001f\u007f-\u009f]/.test(json.stdout.trimEnd()), 'JSON holds escapes, not the characters');
  t.is((JSON.parse(json.stdout) as { error: { message: string } }).error.message, `no workspace named "${name}" is installed`);
});

test('plain output holds no colour or other escape codes, whatever NO_COLOR and FORCE_COLOR say', async (t) => {
  const home = tempDir(t);
  for (const env of [{ FORCE_COLOR: '3' }, { NO_COLOR: '1' }, { NO_COLOR: '1', FORCE_COLOR: '1' }, { FORCE_COLOR: '0' }]) {
    for (const args of [['--help'], ['status'], ['plugins'], ['doctor'], ['policy'], ['apps'], ['config', 'list'], ['stop', 'absent'], ['frob']]) {
      const result = await twinbox(args, { TWINBOX_HOME: home, TERM: 'xterm-256color', ...env });
      t.false(/\u001b/.test(result.stdout + result.stderr), `${JSON.stringify(env)} twinbox ${args.join(' ')}`);
      t.notRegex(result.stderr, /Warning|NO_COLOR/, 'no warning from node about the two variables');
    }
  }
});

test('--version, --help and an unknown command load the entry and its shared chunks only: no command module', async (t) => {
  for (const args of [['--version'], ['version'], ['--help'], ['help', 'stop'], ['frob']]) {
    const { files } = await twinboxLoading(args);
    t.true(files.length > 0, args.join(' '));
    for (const file of files) t.regex(file, /\/(?:bin\/twinbox\.js|build\/dist\/cli\.js|build\/dist\/chunks\/chunk-[A-Z0-9]+\.js)$/, `${args.join(' ')} loads ${file}`);
  }
});

test('did-you-mean: edit distance with swaps, a short list of the closest names', (t) => {
  t.is(editDistance('status', 'status'), 0);
  t.is(editDistance('stauts', 'status'), 1);
  t.is(editDistance('stop', 'start'), 3);
  t.is(editDistance('', 'abc'), 3);
  t.deepEqual(closestNames('stpo', ['stop', 'start', 'setup']), ['stop']);
  t.deepEqual(closestNames('res', ['resume', 'reset', 'restart', 'run']), ['reset', 'restart', 'resume']);
  t.deepEqual(closestNames('xyz', ['stop']), []);
  t.is(didYouMean('lgos', ['logs', 'ls', 'stop']), 'did you mean "logs" or "ls"?');
  t.is(didYouMean('qqqq', ['logs']), undefined);
});

test('escapes: C0, DEL and C1 controls, newline, tab and return by name; JSON escapes DEL and C1 too', (t) => {
  t.is(escapeControls('a\u001bb\u0007c\nd\te\rf\u007fg\u0085h'), 'a\\x1bb\\x07c\\nd\\te\\rf\\x7fg\\x85h');
  t.is(escapeControls('plain ünïcode — ok'), 'plain ünïcode — ok');
  t.is(jsonLine({ a: '\u009b\u007f\u001b' }), '{"a":"\\u009b\\u007f\\u001b"}\n');
  t.deepEqual(JSON.parse(jsonLine({ a: '\u009b\u007f' })), { a: '\u009b\u007f' });
});
