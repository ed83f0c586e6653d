import { TwinboxError, type ForwardedPort } from '../../plugin-api/index.js';
import type { FreeRdpClient } from './freerdp-client.js';

/** A host folder handed to the guest as an RDP drive, seen there as `\\tsclient\<name>`. */
export interface RdpDrive {
  name: string;
  path: string;
}

export interface RemoteAppRequest {
  address: ForwardedPort;
  user: string;
  domain?: string;
  /** The program in the guest, and its arguments. */
  program: string;
  args: readonly string[];
  /** The name the window is given. */
  name: string;
  /** WM_CLASS of the window (X11), so the desktop groups and names it as its own app. */
  wmClass: string;
  drives: readonly RdpDrive[];
}

/**
 * One argument as Windows' CommandLineToArgvW reads it back: RemoteApp hands the server a
 * single command-line string, so arguments with spaces or quotes must be quoted that way.
 * One that ends in a backslash is quoted too (`"C:\dir\\"`), so that the command line never
 * ends in a backslash, which FreeRDP 3.17 and later take for an escape.
 */
export function windowsQuote(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg) && !arg.endsWith('\\')) return arg;
  let quoted = '"';
  let backslashes = 0;
  for (const char of arg) {
    if (char === '\\') {
      backslashes++;
      continue;
    }
    // Backslashes before a quote are doubled, and the quote escaped; elsewhere they are literal.
    quoted += char === '"' ? `${'\\'.repeat(backslashes * 2)}\\"` : `${'\\'.repeat(backslashes)}${char}`;
    backslashes = 0;
  }
  return `${quoted}${'\\'.repeat(backslashes * 2)}"`;
}

function serverAddress(address: ForwardedPort): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}

/** How a character is named in a refusal: `'`, `"`, `,`, or its code point when it does not print. */
function characterName(char: string): string {
  const name: Record<string, string> = { "'": "the apostrophe (')", '"': 'the double quote (")', ',': 'the comma (,)', '\\': 'a trailing backslash (\\)', '\0': 'a NUL character' };
  return name[char] ?? `"${char}"`;
}

function refuse(version: string, option: string, value: string, char: string, why: string): never {
  throw new TwinboxError('remoteapp-unsupported-argument', `FreeRDP ${version} cannot pass "${value}" in its ${option} option: ${characterName(char)} ${why}`, {
    hint: option.startsWith('/drive')
      ? 'rename the folder without that character, or share it through the guest instead of \\\\tsclient'
      : "rename the file or folder without that character, or set publishing.remoteApp false to open the app on the VM's screen",
    exit: 'usage',
  });
}

/** A NUL cannot be in a program's argument; a `\` in /u: without /d: is read as DOMAIN\user. */
function checkCommon(version: string, request: RemoteAppRequest): void {
  const values: Array<[string, string]> = [
    ['/u:', request.user],
    ['/app:', request.program],
    ['/app:', request.name],
    ...request.args.map((arg): [string, string] => ['/app:', arg]),
    ...request.drives.map((drive): [string, string] => ['/drive:', drive.path]),
  ];
  for (const [option, value] of values) if (value.includes('\0')) refuse(version, option, value, '\0', 'cannot be in a command-line argument');
  // client/common/cmdline.c, freerdp_parse_username (2.11.7 lines 1018-1060, used at 3428-3443;
  // 3.5.1 freerdp_parse_username_ptr at 1176): without /d:, "A\B" is domain A, user B.
  if (!request.domain && request.user.includes('\\')) refuse(version, '/u:', request.user, '\\', 'splits the user name into DOMAIN\\user; give the domain in rdp.domain');
}

/**
 * FreeRDP 2 (2.0–2.11): `/app:`, `/app-name:` and `/app-cmd:` are taken as they are
 * (client/common/cmdline.c of 2.11.7, lines 2358-2396: copy_value), so every character
 * passes. `/drive:NAME,PATH` is cut at every comma with no quoting at all
 * (winpr/libwinpr/utils/cmdline.c of 2.11.7, CommandLineParseCommaSeparatedValuesEx, lines
 * 478-555: strchr(',') with nothing else looked at), so a comma in the path is refused.
 */
export function freeRdp2Arguments(request: RemoteAppRequest, toolkit: FreeRdpClient['toolkit'] = 'x11'): string[] {
  checkCommon('2', request);
  const commandLine = request.args.map(windowsQuote).join(' ');
  const args = [`/v:${serverAddress(request.address)}`, `/u:${request.user}`];
  if (request.domain) args.push(`/d:${request.domain}`);
  args.push('/from-stdin:force', '/cert-tofu', '+clipboard');
  if (toolkit === 'x11') args.push(`/wm-class:${request.wmClass}`);
  for (const drive of request.drives) {
    if (drive.path.includes(',')) refuse('2', '/drive:', drive.path, ',', 'splits /drive: (FreeRDP 2 has no quoting for it)');
    args.push(`/drive:${drive.name},${drive.path}`);
  }
  args.push(`/app:${request.program}`, `/app-name:${request.name}`);
  if (commandLine !== '') args.push(`/app-cmd:${commandLine}`);
  return args;
}

/** An odd run of backslashes at the end of an item: FreeRDP 3.17+ escapes the quote or comma after it. */
function endsInEscape(item: string): boolean {
  return (/\\+$/.exec(item)?.[0].length ?? 0) % 2 === 1;
}

/**
 * A comma-separated FreeRDP 3 list (`/app:` items, `/drive:NAME,PATH`) written so that WinPR's
 * CommandLineParseCommaSeparatedValuesEx gives back exactly `items`, in every FreeRDP 3 from
 * 3.0 to the main branch (winpr/libwinpr/utils/cmdline.c). What that parser does:
 * - `'` and `"` quote an item, but only as its first character; a quote anywhere else in an
 *   unquoted item is an error (3.5.1 get_next_comma, lines 547-599: "Invalid quoted argument");
 * - from 3.17.0 a backslash escapes the next character while counting and splitting, and is
 *   left in the value (commit 45b3cbf12; main lines 535-611), and the counting takes `'` and
 *   `"` for the same quote (`is_quoted(cur) && !escaped` is 1 for both, main line 584), so no
 *   item may hold one quote character inside the other;
 * - a list that begins and ends with the same quote is "full-quoted": the outer quotes go,
 *   quotes inside are plain characters, commas still split, and the quote character must not
 *   appear inside (is_valid_fullquoted, 3.5.1 lines 601-634; CommandLineParseCommaSeparatedValuesEx
 *   lines 660-681); one that begins and ends with different quotes is refused ("quote mismatch");
 * - a last item quoted with `'` is cut at its last `"` (strrchr(ptr, '"'), 3.5.1 line 766).
 * So: items without quotes are written bare, those with a comma as `"item"` (never both ends
 * of the list quoted); items with a quote character are written as one full-quoted list, in
 * `"` when none holds `"`, else in `'`. A comma next to a quote character, both quote
 * characters, or an item ending in a lone backslash have no spelling: refused, naming it.
 * `movable` lets the items be reordered (the `/app:` items are `key:value`, in any order).
 */
export function freeRdp3List(option: string, items: readonly string[], movable: boolean): string {
  const all = items.join('');
  for (const item of items) if (endsInEscape(item)) refuse('3', option, item, '\\', 'escapes the separator after it in FreeRDP 3.17 and later');
  const hasApostrophe = all.includes("'");
  const hasQuote = all.includes('"');
  if (!hasApostrophe && !hasQuote) {
    const bare = items.filter((item) => !item.includes(','));
    if (bare.length === 0) refuse('3', option, items.find((item) => item.includes(','))!, ',', 'splits the option, and a list whose every item is quoted reads as one quoted item');
    const written = items.map((item) => (item.includes(',') ? `"${item}"` : item));
    if (!movable) {
      if (written[0]!.startsWith('"') && written.at(-1)!.startsWith('"')) refuse('3', option, items.at(-1)!, ',', 'splits the option here, and quoting both ends of the list makes it one quoted item');
      return written.join(',');
    }
    // Quoted items first, a bare one last: the list then never both begins and ends with a quote.
    return [...written.filter((item) => item.startsWith('"')), ...written.filter((item) => !item.startsWith('"'))].join(',');
  }
  const withComma = items.find((item) => item.includes(','));
  if (withComma !== undefined) refuse('3', option, withComma, ',', `cannot be quoted in an option that also holds ${hasApostrophe ? characterName("'") : characterName('"')}`);
  if (hasApostrophe && hasQuote) {
    const both = items.find((item) => item.includes("'") && item.includes('"')) ?? all;
    refuse('3', option, both, '"', "cannot be quoted together with the apostrophe (') in one option");
  }
  const quote = hasQuote ? "'" : '"';
  return `${quote}${items.join(',')}${quote}`;
}

/**
 * FreeRDP 3: one `/app:program:…,name:…,cmd:…` option (client/common/cmdline.c of 3.5.1,
 * parse_app_options, lines 3584-3654) and `/drive:NAME,PATH` (lines 1044-1050), both read by
 * WinPR's comma-list parser and written by freeRdp3List; `/cert:tofu`.
 */
export function freeRdp3Arguments(request: RemoteAppRequest, toolkit: FreeRdpClient['toolkit'] = 'x11'): string[] {
  checkCommon('3', request);
  const commandLine = request.args.map(windowsQuote).join(' ');
  const args = [`/v:${serverAddress(request.address)}`, `/u:${request.user}`];
  if (request.domain) args.push(`/d:${request.domain}`);
  args.push('/from-stdin:force', '/cert:tofu', '+clipboard');
  if (toolkit === 'x11') args.push(`/wm-class:${request.wmClass}`);
  for (const drive of request.drives) args.push(`/drive:${freeRdp3List('/drive:', [drive.name, drive.path], false)}`);
  const items = [`program:${request.program}`, `name:${request.name}`];
  if (commandLine !== '') items.push(`cmd:${commandLine}`);
  args.push(`/app:${freeRdp3List('/app:', items, true)}`);
  return args;
}

/**
 * FreeRDP's command line for one RemoteApp window, in the dialect of its major version. The
 * password is never here: `/from-stdin:force` makes FreeRDP read it from standard input.
 */
export function freeRdpArguments(client: Pick<FreeRdpClient, 'major' | 'toolkit'>, request: RemoteAppRequest): string[] {
  return client.major >= 3 ? freeRdp3Arguments(request, client.toolkit) : freeRdp2Arguments(request, client.toolkit);
}

/** Why this FreeRDP cannot redirect `drive`, or undefined when it can. */
export function freeRdpDriveProblem(major: number, drive: RdpDrive): string | undefined {
  const request: RemoteAppRequest = { address: { host: '127.0.0.1', port: 3389 }, user: 'u', program: 'p', args: [], name: 'n', wmClass: 'w', drives: [drive] };
  try {
    if (major >= 3) freeRdp3Arguments(request);
    else freeRdp2Arguments(request);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
