import { hostname, userInfo } from 'node:os';

/** What setup copies from the host into the guest (MED-V copied regional settings and always synced the time zone). */
export interface HostFacts {
  username: string;
  hostname: string;
  /** An IANA zone name ("Europe/Paris"), when the host has one. */
  timeZone?: string;
  /** A POSIX locale name ("en_US.UTF-8"), when the host has one. */
  locale?: string;
}

const ZONE = /^(?:[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){1,2}|UTC|Etc\/[A-Za-z0-9+-]+)$/;
const LOCALE = /^[a-z]{2,3}(?:_[A-Z]{2})?(?:\.[A-Za-z0-9-]+)?(?:@[A-Za-z]+)?$/;

function userName(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'user';
  }
}

/** The IANA name only: TZ may hold a POSIX rule ("CET-1CEST") that no guest would understand. */
function timeZone(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env.TZ?.replace(/^:/, '');
  if (fromEnv && ZONE.test(fromEnv)) return fromEnv;
  const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return resolved && ZONE.test(resolved) ? resolved : undefined;
}

function locale(env: NodeJS.ProcessEnv): string | undefined {
  for (const value of [env.LC_ALL, env.LANG]) {
    if (value && LOCALE.test(value)) return value;
  }
  const tag = Intl.DateTimeFormat().resolvedOptions().locale;
  const match = /^([a-z]{2,3})-([A-Z]{2})$/.exec(tag);
  return match ? `${match[1]}_${match[2]}.UTF-8` : undefined;
}

export function hostFacts(env: NodeJS.ProcessEnv): HostFacts {
  return { username: userName(env), hostname: hostname(), timeZone: timeZone(env), locale: locale(env) };
}
