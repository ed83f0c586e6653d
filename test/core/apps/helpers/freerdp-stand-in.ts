import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { tempDir } from '../../../helpers/temp.js';

/**
 * Banners and log lines of real FreeRDP builds: `--version` of Debian's freerdp2-x11 2.11.7 and
 * freerdp3-x11 3.5.1, and the lines FreeRDP 3 logs when the server refuses the password
 * (exit 132, XF_EXIT_AUTH_FAILURE) or nothing listens on the port (exit 131, XF_EXIT_CONN_FAILED).
 */
export const FREERDP_OUTPUT = {
  version2: 'This is FreeRDP version 2.11.7 (2.11.7)',
  version3: 'This is FreeRDP version 3.5.1 (3.5.1)',
  authFailure: [
    '[10:41:07:512] [48211:48212] [ERROR][com.freerdp.core] - [nla_recv_pdu]: ERRCONNECT_LOGON_FAILURE [0x00020014]',
    '[10:41:07:513] [48211:48212] [ERROR][com.freerdp.core.rdp] - [rdp_recv_callback_int][0x5581c0a3e2b0]: CONNECTION_STATE_NLA - nla_recv_pdu() fail',
  ],
  connectFailed: ['[10:41:07:512] [48211:48212] [ERROR][com.freerdp.core] - [freerdp_tcp_connect]: ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]'],
} as const;

export interface StandInOptions {
  /** The program name put on PATH. */
  program?: string;
  version?: string;
  /** Fail as FreeRDP does right after reading the password: these log lines, then this exit code. */
  fail?: { lines: readonly string[]; exitCode: number };
}

export interface FreeRdpStandIn {
  /** Put first on PATH. */
  binDir: string;
  /** The arguments it was started with, once it has recorded them. */
  argv(): Promise<string[]>;
  /** What it read from standard input (the first line), once recorded. */
  stdin(): Promise<string>;
}

async function whenWritten(file: string): Promise<string> {
  // The stand-in runs detached from the test: wait until its line is complete.
  for (let tries = 0; tries < 600; tries++) {
    if (existsSync(file)) {
      const text = await readFile(file, 'utf8');
      if (text.endsWith('\n')) return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${file} was never written`);
}

/**
 * A stand-in for FreeRDP, which cannot connect to anything here (no RDP server with RemoteApp):
 * a shell script that replays FreeRDP's real output formats (its `--version` banner, the
 * "Password: " prompt it writes to stderr with /from-stdin, its error lines and exit codes),
 * records its argv and the line it reads from stdin, and otherwise stays running like a session.
 */
export async function freeRdpStandIn(t: ExecutionContext, options: StandInOptions = {}): Promise<FreeRdpStandIn> {
  const binDir = tempDir(t, 'tbx-freerdp-');
  const program = options.program ?? 'xfreerdp3';
  const argvFile = join(binDir, 'argv');
  const stdinFile = join(binDir, 'stdin');
  const pidFile = join(binDir, 'pid');
  // A stand-in left running as a session is ended with its test, by the pid it wrote.
  t.teardown(async () => {
    if (!existsSync(pidFile)) return;
    try {
      process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGTERM');
    } catch {
      // it had ended
    }
  });
  const failure = options.fail
    ? `${options.fail.lines.map((line) => `printf '%s\\n' '${line}' >&2`).join('\n')}\nexit ${options.fail.exitCode}\n`
    : 'exec sleep 300\n';
  const script = [
    '#!/bin/sh',
    '# Stand-in for FreeRDP (see freerdp-stand-in.ts): replays its output formats, records argv and stdin.',
    `if [ "$1" = "--version" ]; then echo '${options.version ?? FREERDP_OUTPUT.version3}'; exit 0; fi`,
    `echo $$ > '${pidFile}'`,
    `for arg in "$@"; do printf '%s\\n' "$arg"; done > '${argvFile}.tmp' && mv '${argvFile}.tmp' '${argvFile}'`,
    "printf 'Password: ' >&2",
    'IFS= read -r secret',
    `printf '%s\\n' "$secret" > '${stdinFile}'`,
    'echo >&2',
    failure,
  ].join('\n');
  const path = join(binDir, program);
  await writeFile(path, script);
  await chmod(path, 0o755);
  return {
    binDir,
    argv: async () => (await whenWritten(argvFile)).slice(0, -1).split('\n'),
    stdin: async () => (await whenWritten(stdinFile)).slice(0, -1),
  };
}
