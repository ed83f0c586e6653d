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
 */
export function windowsQuote(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
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

/** FreeRDP 3 reads `/app:` as a comma-separated list of `key:value` items: a comma in a value would split it. */
function appItem(key: string, value: string): string {
  if (value.includes(',')) {
    throw new TwinboxError('remoteapp-unsupported-argument', `FreeRDP 3 cannot pass "${value}" to a RemoteApp: a comma in its /app: ${key} splits the option`, {
      hint: 'rename the file or folder without the comma, or set publishing.remoteApp false to open the app on the VM\'s screen',
      exit: 'usage',
    });
  }
  return `${key}:${value}`;
}

/**
 * FreeRDP's command line for one RemoteApp window, in the dialect of its major version
 * (client/common/cmdline.c): FreeRDP 3 takes `/app:program:…,name:…,cmd:…` and `/cert:tofu`,
 * FreeRDP 2 `/app:… /app-name:… /app-cmd:…` and `/cert-tofu`. The password is never here:
 * `/from-stdin:force` makes FreeRDP read it from standard input before it connects.
 */
export function freeRdpArguments(client: Pick<FreeRdpClient, 'major' | 'toolkit'>, request: RemoteAppRequest): string[] {
  const commandLine = request.args.map(windowsQuote).join(' ');
  const args = [`/v:${serverAddress(request.address)}`, `/u:${request.user}`];
  if (request.domain) args.push(`/d:${request.domain}`);
  args.push('/from-stdin:force', client.major >= 3 ? '/cert:tofu' : '/cert-tofu', '+clipboard');
  if (client.toolkit === 'x11') args.push(`/wm-class:${request.wmClass}`);
  for (const drive of request.drives) args.push(`/drive:${drive.name},${drive.path}`);
  if (client.major >= 3) {
    const items = [appItem('program', request.program), appItem('name', request.name)];
    if (commandLine !== '') items.push(appItem('cmd', commandLine));
    args.push(`/app:${items.join(',')}`);
  } else {
    args.push(`/app:${request.program}`, `/app-name:${request.name}`);
    if (commandLine !== '') args.push(`/app-cmd:${commandLine}`);
  }
  return args;
}
