import { NAME_PATTERN } from '../../plugin-api/index.js';
import { calendarProblem } from '../maintenance/calendar.js';
import { HOST_ADDRESS_PATTERN, hostAddressProblem } from '../remote/ssh-host.js';
import { flag, listOf, mapOf, mapOfText, oneOf, text, wholeNumber, type KeyDefinition, type TextRule } from './key-definition.js';

const nonEmpty: TextRule = { pattern: /[\s\S]/, maxLength: 64 * 1024, message: 'must not be empty' };
const name: TextRule = { pattern: NAME_PATTERN, maxLength: 40, message: 'use 1–40 lowercase letters, digits and dashes, starting with a letter' };
const userOrGroup: TextRule = { pattern: /^@?[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/, maxLength: 256, message: 'use a user name or @group' };
/** The same rules as workspace.json's (manifest-schema.ts); a test keeps them in step. */
export const computerNameRule: TextRule = {
  pattern: /^(?:[A-Za-z0-9#-]|%username%|%hostname%|\[\d{1,2}\])*\*?$/,
  maxLength: 64,
  message: 'use letters, digits, dashes, #, %username%, %hostname%, [n] and a trailing *',
};
/** The shape of a URL rule; `twinbox open --explain` names any finer problem (src/core/redirection/url-rule.ts). */
export const redirectUrlRule: TextRule = {
  pattern: /^[Hh][Tt][Tt][Pp][Ss]?:\/\/[^\s/?#@:]+(?::(?:\d+|\*))?(?:[/?][^\s#]*)?$/,
  maxLength: 2048,
  message: 'must start with http:// or https:// and name a host, with no spaces, user name or #fragment',
};

/** A name of the `hosts` setting: a workspace-like name, except `local`, the dashboard's name for this machine. */
export const hostNameRule: TextRule = { pattern: /^(?!local$)[a-z][a-z0-9-]{0,39}$/, maxLength: 40, message: 'use 1–40 lowercase letters, digits and dashes, starting with a letter (not "local", which is this machine)' };
/** An address of the `hosts` setting: what `--host` accepts (ssh-host.ts). */
export const hostAddressRule: TextRule = { pattern: HOST_ADDRESS_PATTERN, maxLength: 400, message: 'write it as ssh://[user@]host[:port]' };

/** A guest shell command of maintenance.commands: one line of the admin's shell text. */
const guestCommand: TextRule = { pattern: /^[^\n\r\0]+$/, maxLength: 4096, message: 'must be one line of shell text' };

/** A word in any case, as a JSON Schema pattern (which has no flags): "mon" → "[Mm][Oo][Nn]". */
const anyCase = (word: string) => [...word].map((char) => `[${char.toUpperCase()}${char}]`).join('');
const DAYS = [['mon', 'day'], ['tue', 'sday'], ['wed', 'nesday'], ['thu', 'rsday'], ['fri', 'day'], ['sat', 'urday'], ['sun', 'day']].map(([short, rest]) => `${anyCase(short!)}(?:${anyCase(rest!)})?`);
/** A weekday, or a range of them that runs forwards (Mon..Sun), as the parser allows. */
const DAY_SPEC = `(?:${DAYS.map((day, index) => `${day}(?:\\.\\.(?:${DAYS.slice(index).join('|')}))?`).join('|')})`;
/** The calendar subset calendar.ts reads, as a pattern for conf's schema (the check is the parser itself). */
const SCHEDULE_PATTERN = `^(?:|\\s*(?:${anyCase('daily')}|${anyCase('weekly')})\\s*|\\s*(?:${DAY_SPEC}(?:,${DAY_SPEC})*\\s+)?(?:\\*-\\*-\\*\\s+)?(?:[01]?\\d|2[0-3]):[0-5]?\\d(?::[0-5]?\\d)?\\s*)$`;

/** maintenance.schedule: '' (no maintenance) or a calendar event of the subset calendar.ts reads. */
const schedule: KeyDefinition<string> = {
  check: calendarProblem,
  schema: { type: 'string', maxLength: 200, pattern: SCHEDULE_PATTERN, default: '', description: 'when the host agent runs the maintenance window, in systemd calendar syntax (e.g. Sun 03:00); empty: never' },
  default: '',
  expected: "'' (none) or a calendar event: [WEEKDAYS] [*-*-*] HH:MM[:SS], daily, weekly",
  input: 'text',
  description: 'when the host agent runs the maintenance window, in systemd calendar syntax (e.g. Sun 03:00); empty: never',
};

/**
 * Every setting twinbox knows: MED-V's policy keys in twinbox terms. Machine policy, the
 * user's settings and packages may set only these; the package defaults mirror the ones of
 * workspace.json so a package that leaves a field out changes nothing.
 */
export const SETTING_KEYS = {
  'log.level': oneOf(['error', 'warn', 'info', 'debug'], 'info', {
    description: 'the least severe event written to the event logs (MED-V EventLogLevel)',
  }),
  'setup.mode': oneOf(['attended', 'unattended', 'silent'], 'unattended', {
    description: 'how first-time setup talks to the user (MED-V FTS Mode)',
    packagePath: ['setup', 'mode'],
  }),
  'setup.computerName': text(computerNameRule, 'TWINBOX*', 'a computer-name mask (letters, digits, -, #, %username%, %hostname%, [n], trailing *)', {
    description: "the guest's computer name: # a random digit, trailing * random characters (MED-V ComputerNameMask)",
    packagePath: ['setup', 'computerName'],
  }),
  'setup.maxRetries': wholeNumber(0, 10, 3, {
    description: 'how often a failing setup step is tried again (MED-V MaxRetryCount)',
    packagePath: ['setup', 'maxRetries'],
  }),
  'setup.timeoutMinutes': wholeNumber(1, 24 * 60, 45, {
    description: 'time limit of a setup step (MED-V NonInteractiveTimeout)',
    packagePath: ['setup', 'timeoutMinutes'],
  }),
  'setup.retryTimeoutIncrementMinutes': wholeNumber(0, 24 * 60, 15, {
    description: 'extra time each retry of a setup step gets (MED-V NonInteractiveRetryTimeoutInc)',
    packagePath: ['setup', 'retryTimeoutIncrementMinutes'],
  }),
  'publishing.enabled': flag(true, {
    description: "publish the guest's apps on the host (MED-V AppPublishingEnabled)",
  }),
  'publishing.remoteApp': flag(true, {
    description: "open GUI apps of packages whose guest offers RDP as windows on the host's desktop (RDP RemoteApp, FreeRDP); off: on the VM's screen",
  }),
  'publishing.refreshSeconds': wholeNumber(5, 24 * 60 * 60, 30, {
    description: "how often the host agent reads a running guest's app list again",
  }),
  'redirection.urls': listOf(redirectUrlRule, 'http(s) URL rules (* wildcard)', {
    description: 'web addresses opened in the guest instead of on the host (MED-V RedirectUrls)',
    packagePath: ['redirection', 'urls'],
  }),
  'workspace.startup': oneOf(['at-logon', 'at-first-use', 'user-decides'], 'at-first-use', {
    description: 'when the workspace starts (MED-V LogonStartEnabled)',
    packagePath: ['startup'],
  }),
  'workspace.closeAction': oneOf(['suspend', 'shutdown', 'power-off'], 'suspend', {
    description: 'what happens to the VM when its last app closes (MED-V CloseAction)',
    packagePath: ['closeAction'],
  }),
  'workspace.idleMinutes': wholeNumber(0, 7 * 24 * 60, 0, {
    description: 'minutes after the last app closes before the close action; 0 at once',
  }),
  'vm.memoryMiB': wholeNumber(64, 1024 * 1024, 1024, {
    description: "the VM's memory in MiB",
    packagePath: ['vm', 'memoryMiB'],
  }),
  'vm.network': oneOf(['nat', 'bridged', 'none'], 'nat', {
    description: "the VM's network (MED-V NetworkingMode)",
    packagePath: ['vm', 'network'],
  }),
  'plugins.paths': listOf(nonEmpty, 'folder paths', {
    description: 'extra folders holding plugins (a plugin folder, or a folder of plugin folders)',
  }),
  'plugins.allowed': listOf(name, 'plugin names', {
    description: 'the only plugins twinbox may load; empty allows all',
  }),
  'security.requireSignature': flag(false, {
    description: 'refuse packages without a signature from a trusted key',
  }),
  'security.trustedKeys': listOf(nonEmpty, 'PEM public keys or paths of PEM files', {
    description: 'public keys whose package signatures an install trusts',
  }),
  'access.workspaces': mapOf(name, userOrGroup, 'a JSON object mapping workspace names to arrays of user names and @groups', {
    description: 'who may use a workspace; a workspace not listed is open to everyone',
  }),
  hosts: mapOfText(hostNameRule, hostAddressRule, 'a JSON object mapping host names to ssh://[user@]host[:port] addresses', {
    description: "other machines whose workspaces the dashboard shows beside this one's, each reached through OpenSSH as --host reaches it",
  }, hostAddressProblem),
  'maintenance.schedule': schedule,
  'maintenance.commands': listOf(guestCommand, 'shell command lines run in the guest', {
    description: "commands the maintenance window runs in the guest, in order, through its guest agent (sh -c; cmd.exe /c on Windows)",
  }),
  'maintenance.windowMinutes': wholeNumber(1, 24 * 60, 60, {
    description: 'the longest the maintenance window may take, from its start until the workspace is put back',
  }),
  'maintenance.commandTimeoutMinutes': wholeNumber(1, 24 * 60, 15, {
    description: 'the time limit of one maintenance command',
  }),
  'maintenance.whenInUse': oneOf(['skip', 'wait'], 'skip', {
    description: 'when an app is running as the window opens: skip this window, or wait (within the window) for the apps to end',
  }),
};

export type SettingKey = keyof typeof SETTING_KEYS;

/** The value type of every setting. */
export type SettingValues = { [K in SettingKey]: (typeof SETTING_KEYS)[K] extends KeyDefinition<infer T> ? T : never };

export const SETTING_KEY_NAMES = Object.keys(SETTING_KEYS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_KEYS, key);
}
