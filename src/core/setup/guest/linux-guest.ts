import type { GuestAgentSession } from '../../../plugin-api/index.js';
import type { GuestCustomizer } from './customizer-types.js';
import { runChecked, text } from './guest-program.js';

/*
 * Each operation is a small POSIX sh script run with `sh -c SCRIPT sh ARGS…`: values arrive
 * as positional arguments and are never pasted into the script text.
 *
 * TWINBOX_GUEST_ROOT is unset on a real guest. The fake hypervisor's simulated guest runs
 * programs on the host with it pointing at the folder that stands for the guest's `/`; there
 * the scripts only touch files under it and never run commands that would change the host.
 */

const SET_HOSTNAME = `root="\${TWINBOX_GUEST_ROOT:-}"
if [ -z "$root" ]; then hostname "$1" || exit 1; fi
printf '%s\\n' "$1" > "$root/etc/hostname"`;

const SET_TIME_ZONE = `root="\${TWINBOX_GUEST_ROOT:-}"
printf '%s\\n' "$1" > "$root/etc/timezone"
if [ -e "$root/usr/share/zoneinfo/$1" ]; then
  ln -sf "/usr/share/zoneinfo/$1" "$root/etc/localtime"
else
  echo "the guest has no zoneinfo for $1: only /etc/timezone was set"
fi`;

const SET_LOCALE = `root="\${TWINBOX_GUEST_ROOT:-}"
mkdir -p "$root/etc/default"
printf 'LANG=%s\\n' "$1" > "$root/etc/locale.conf"
printf 'LANG=%s\\n' "$1" > "$root/etc/default/locale"`;

/*
 * useradd (Debian, Fedora) or adduser (Alpine, busybox builds that have it) where the guest has
 * them; otherwise, as on a busybox without login applets and on the fake guest, the account
 * files are edited in place: a passwd line with the next free uid from 1000, its own group, a
 * locked shadow entry and a home folder.
 */
const ENSURE_USER = `root="\${TWINBOX_GUEST_ROOT:-}"
user="$1"; admin="$2"
if [ -z "$root" ] && command -v useradd >/dev/null 2>&1; then
  id "$user" >/dev/null 2>&1 || useradd -m "$user" || exit 1
  if [ "$admin" = 1 ]; then
    group=sudo; getent group sudo >/dev/null 2>&1 || grep -q '^sudo:' /etc/group || group=wheel
    grep -q "^$group:" /etc/group || groupadd "$group" || exit 1
    usermod -aG "$group" "$user" || exit 1
  fi
  exit 0
fi
if [ -z "$root" ] && command -v adduser >/dev/null 2>&1 && command -v addgroup >/dev/null 2>&1; then
  id "$user" >/dev/null 2>&1 || adduser -D "$user" || exit 1
  if [ "$admin" = 1 ]; then
    grep -q '^wheel:' /etc/group || addgroup wheel || exit 1
    addgroup "$user" wheel || exit 1
  fi
  exit 0
fi
touch "$root/etc/passwd" "$root/etc/group"
if ! grep -q "^$user:" "$root/etc/passwd"; then
  uid=$(awk -F: 'BEGIN { n = 1000 } $3 >= n && $3 < 60000 { n = $3 + 1 } END { print n }' "$root/etc/passwd")
  grep -q "^$user:" "$root/etc/group" || printf '%s:x:%s:\\n' "$user" "$uid" >> "$root/etc/group"
  gid=$(awk -F: -v u="$user" '$1 == u { print $3 }' "$root/etc/group")
  printf '%s:x:%s:%s::/home/%s:/bin/sh\\n' "$user" "$uid" "$gid" "$user" >> "$root/etc/passwd"
  if [ -f "$root/etc/shadow" ] && ! grep -q "^$user:" "$root/etc/shadow"; then printf '%s:!:::::::\\n' "$user" >> "$root/etc/shadow"; fi
  mkdir -p "$root/home/$user"
  [ -n "$root" ] || chown "$uid:$gid" "/home/$user"
fi
if [ "$admin" = 1 ]; then
  grep -q '^wheel:' "$root/etc/group" || echo 'wheel:x:10:' >> "$root/etc/group"
  awk -F: -v OFS=: -v u="$user" '$1 == "wheel" { n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) { print; next } $4 = ($4 == "" ? u : $4 "," u) } { print }' "$root/etc/group" > "$root/etc/group.twinbox" && cat "$root/etc/group.twinbox" > "$root/etc/group" && rm -f "$root/etc/group.twinbox"
fi`;

const SCRIPT_DIR = '/var/tmp/twinbox-setup';

const STAGE_DIR = `mkdir -p "\${TWINBOX_GUEST_ROOT:-}$1"`;

/** Runs a staged script by its own #! line, with the workspace's facts in its environment. */
const RUN_SCRIPT = `f="\${TWINBOX_GUEST_ROOT:-}$1"
export TWINBOX_WORKSPACE="$2" TWINBOX_COMPUTER_NAME="$3"
chmod 0755 "$f" && exec "$f"`;

function sh(session: GuestAgentSession, what: string, script: string, args: string[], timeoutMs: number) {
  return runChecked(session, what, '/bin/sh', ['-c', script, 'sh', ...args], timeoutMs);
}

function outputLines(bytes: Uint8Array): string[] {
  return text(bytes)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export const linuxGuest: GuestCustomizer = {
  family: 'linux',

  async setComputerName(session, name, timeoutMs) {
    await sh(session, 'setting the host name', SET_HOSTNAME, [name], timeoutMs);
  },

  computerName(session, timeoutMs) {
    return session.hostName({ timeoutMs });
  },

  async setTimeZone(session, zone, timeoutMs) {
    return outputLines((await sh(session, 'setting the time zone', SET_TIME_ZONE, [zone], timeoutMs)).stdout);
  },

  async setLocale(session, locale, timeoutMs) {
    await sh(session, 'setting the locale', SET_LOCALE, [locale], timeoutMs);
    return [];
  },

  async ensureUser(session, user, timeoutMs) {
    await sh(session, `creating user ${user.name}`, ENSURE_USER, [user.name, user.addToAdmins ? '1' : '0'], timeoutMs);
  },

  async stageScript(session, fileName, content, timeoutMs) {
    await sh(session, 'preparing the script folder', STAGE_DIR, [SCRIPT_DIR], timeoutMs);
    const path = `${SCRIPT_DIR}/${fileName}`;
    await session.writeFile(path, content, { timeoutMs });
    return path;
  },

  runScript(session, guestPath, env, timeoutMs) {
    return session.exec({ path: '/bin/sh', args: ['-c', RUN_SCRIPT, 'sh', guestPath, env.workspace, env.computerName ?? ''], timeoutMs });
  },
};
