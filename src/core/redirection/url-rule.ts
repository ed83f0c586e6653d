/**
 * MED-V's URL redirection rules: one web address per line, http or https only, `*` a wildcard
 * (`http://*.contoso.com`, `http://www.contoso.com/webapps/*`). MED-V documents the syntax only
 * by these examples; twinbox reads them as an administrator means them:
 *
 * - the scheme must be the URL's (`http://` rules do not match `https://` addresses);
 * - the host is compared without regard to case, `*` standing for any run of characters
 *   (`*.contoso.com` matches `www.contoso.com` and `a.b.contoso.com`, not `contoso.com`);
 *   a port must match too (none: the scheme's default; `:*` any port);
 * - no path (or `/`): the whole site; a path without `*` is a folder: it matches itself and
 *   everything below it (`/webapps/webapp1` matches `/webapps/webapp1/default.aspx`, not
 *   `/webapps/webapp10`); a path with `*` is a pattern over the path and query, and a trailing
 *   `/*` also matches the folder itself;
 * - both sides are normalized first (case of the host, default ports, `..` segments, percent
 *   encoding, international names), and a URL's #fragment never counts.
 */
export interface UrlRule {
  /** As written. */
  text: string;
  scheme: 'http' | 'https';
  /** Lowercase (punycode) host pattern, `*` a wildcard. */
  host: string;
  /** The port as the URL parser keeps it ('' for the scheme's default); undefined: any port. */
  port: string | undefined;
  /** Path and query pattern; '' matches every path. */
  path: string;
}

export class UrlRuleProblem extends Error {}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s;

function globRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 's');
}

/** Parses one rule, or throws UrlRuleProblem saying what is wrong with it. */
export function parseUrlRule(text: string): UrlRule {
  if (text.trim() === '') throw new UrlRuleProblem('is empty');
  if (/\s/.test(text)) throw new UrlRuleProblem('contains a space: write one web address per rule');
  const found = SCHEME.exec(text);
  if (!found) throw new UrlRuleProblem('must start with http:// or https://');
  const scheme = found[1]!.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') throw new UrlRuleProblem(`uses ${scheme}://: only http and https addresses can be redirected`);
  const rest = found[2]!;
  if (rest.includes('#')) throw new UrlRuleProblem('contains a #fragment, which never reaches a web server: remove it');
  const authorityEnd = rest.search(/[/?]/);
  let authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const pathPart = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  if (authority === '') throw new UrlRuleProblem('names no host');
  if (authority.includes('@')) throw new UrlRuleProblem('contains a user name (@): give the host only');
  let anyPort = false;
  if (authority.endsWith(':*')) {
    anyPort = true;
    authority = authority.slice(0, -2);
  }
  if (authority.replaceAll('*', '') === '' && authority !== '*') throw new UrlRuleProblem('names no host');
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${authority}${pathPart}`);
  } catch {
    throw new UrlRuleProblem('is not a valid web address');
  }
  if (parsed.username !== '' || parsed.password !== '') throw new UrlRuleProblem('contains a user name (@): give the host only');
  const path = parsed.pathname === '/' && parsed.search === '' ? '' : `${parsed.pathname}${parsed.search}`;
  return { text, scheme, host: parsed.hostname, port: anyPort ? undefined : parsed.port, path };
}

/** Why a rule matches a URL, or why it does not: what --explain prints. */
export interface RuleVerdict {
  matched: boolean;
  reason: string;
}

function pathVerdict(rule: UrlRule, target: string): RuleVerdict {
  if (rule.path === '') return { matched: true, reason: 'the rule names no path: the whole site' };
  if (rule.path.includes('*')) {
    const folder = rule.path.endsWith('/*') ? rule.path.slice(0, -2) : undefined;
    const inFolder = folder !== undefined && (target === folder || target.startsWith(`${folder}?`));
    if (inFolder || globRegExp(rule.path).test(target)) return { matched: true, reason: `${target} matches the pattern ${rule.path}` };
    return { matched: false, reason: `${target} does not match the pattern ${rule.path}` };
  }
  const folder = rule.path.endsWith('/') ? rule.path : `${rule.path}/`;
  if (target === rule.path || target.startsWith(folder) || target.startsWith(`${rule.path}?`)) {
    return { matched: true, reason: target === rule.path ? `the path is ${rule.path}` : `${target} is under ${rule.path}` };
  }
  return { matched: false, reason: `${target} is not ${rule.path} or under it` };
}

/** Compares a rule with a parsed (normalized) URL. */
export function judgeRule(rule: UrlRule, url: URL): RuleVerdict {
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== rule.scheme) return { matched: false, reason: `the rule is for ${rule.scheme}://, the address uses ${scheme}://` };
  if (!globRegExp(rule.host).test(url.hostname)) {
    return { matched: false, reason: `the host ${url.hostname} does not match ${rule.host}` };
  }
  if (rule.port !== undefined && rule.port !== url.port) {
    const show = (port: string) => (port === '' ? 'the default port' : `port ${port}`);
    return { matched: false, reason: `the address uses ${show(url.port)}, the rule ${show(rule.port)}` };
  }
  const path = pathVerdict(rule, `${url.pathname}${url.search}`);
  if (!path.matched) return path;
  const host = rule.host.includes('*') ? `the host ${url.hostname} matches ${rule.host}` : `the host is ${rule.host}`;
  return { matched: true, reason: `${host}; ${path.reason}` };
}

/**
 * How specific a rule is, for choosing between several that match: more literal host
 * characters first, then more literal path characters, then fewer wildcards.
 */
export function specificity(rule: UrlRule): [number, number, number] {
  const literal = (text: string) => text.replaceAll('*', '').length;
  const wildcards = (rule.host + rule.path).split('*').length - 1 + (rule.port === undefined ? 1 : 0);
  return [literal(rule.host), literal(rule.path), -wildcards];
}

export function compareSpecificity(a: UrlRule, b: UrlRule): number {
  const [x, y] = [specificity(a), specificity(b)];
  for (let index = 0; index < x.length; index++) if (x[index] !== y[index]) return y[index]! - x[index]!;
  return 0;
}
