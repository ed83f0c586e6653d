import test from 'ava';
import { urlRule } from '../../../src/core/package/manifest-schema.js';
import { compareSpecificity, judgeRule, parseUrlRule, UrlRuleProblem } from '../../../src/core/redirection/url-rule.js';
import { SETTING_KEYS } from '../../../src/core/settings/keys.js';

function matches(rule: string, url: string): boolean {
  return judgeRule(parseUrlRule(rule), new URL(url)).matched;
}

// The four examples of MED-V's "How to Manage URL Redirection by Using the MED-V Workspace Packager".

test('MED-V example http://www.contoso.com/webapps/webapp1 matches that page and what is below it, nothing beside it', (t) => {
  const rule = 'http://www.contoso.com/webapps/webapp1';
  t.true(matches(rule, 'http://www.contoso.com/webapps/webapp1'));
  t.true(matches(rule, 'http://www.contoso.com/webapps/webapp1/'));
  t.true(matches(rule, 'http://www.contoso.com/webapps/webapp1/default.aspx?user=1'));
  t.true(matches(rule, 'http://www.contoso.com/webapps/webapp1?tab=2'));
  t.true(matches(rule, 'HTTP://WWW.CONTOSO.COM/webapps/webapp1'), 'the host is compared without regard to case');
  t.true(matches(rule, 'http://www.contoso.com:80/webapps/other/../webapp1'), 'default port and .. segments are normalized');
  t.false(matches(rule, 'http://www.contoso.com/webapps/webapp10'));
  t.false(matches(rule, 'http://www.contoso.com/webapps/webapp2'));
  t.false(matches(rule, 'http://www.contoso.com/webapps'));
  t.false(matches(rule, 'http://www.contoso.com/WebApps/webapp1'), 'paths are case-sensitive, as on the web');
  t.false(matches(rule, 'https://www.contoso.com/webapps/webapp1'), 'the scheme must be the rule\'s');
  t.false(matches(rule, 'http://contoso.com/webapps/webapp1'));
});

test('MED-V example http://www.contoso.com/webapps/webapp2 is the second app and not the first', (t) => {
  const rule = 'http://www.contoso.com/webapps/webapp2';
  t.true(matches(rule, 'http://www.contoso.com/webapps/webapp2/index.html'));
  t.false(matches(rule, 'http://www.contoso.com/webapps/webapp1/index.html'));
  t.false(matches(rule, 'http://www.contoso.com:8080/webapps/webapp2'), 'a port the rule does not name');
});

test('MED-V example http://*.contoso.com matches every subdomain on any path, not the bare domain or look-alikes', (t) => {
  const rule = 'http://*.contoso.com';
  t.true(matches(rule, 'http://www.contoso.com'));
  t.true(matches(rule, 'http://www.contoso.com/'));
  t.true(matches(rule, 'http://intranet.contoso.com/hr/forms?id=4#top'));
  t.true(matches(rule, 'http://a.b.contoso.com/'));
  t.true(matches(rule, 'http://WWW.Contoso.Com/x'));
  t.false(matches(rule, 'http://contoso.com/'));
  t.false(matches(rule, 'http://www.contoso.com.evil.example/'));
  t.false(matches(rule, 'http://wwwcontoso.com/'));
  t.false(matches(rule, 'https://www.contoso.com/'));
  t.false(matches(rule, 'http://evil.example/?next=www.contoso.com'));
});

test('MED-V example http://www.contoso.com/webapps/* matches the folder and everything in it', (t) => {
  const rule = 'http://www.contoso.com/webapps/*';
  t.true(matches(rule, 'http://www.contoso.com/webapps/'));
  t.true(matches(rule, 'http://www.contoso.com/webapps'));
  t.true(matches(rule, 'http://www.contoso.com/webapps/webapp1'));
  t.true(matches(rule, 'http://www.contoso.com/webapps/a/b/c.aspx?q=1'));
  t.false(matches(rule, 'http://www.contoso.com/webappsX/a'));
  t.false(matches(rule, 'http://www.contoso.com/'));
  t.false(matches(rule, 'http://intranet.contoso.com/webapps/a'));
});

test('a wildcard inside a path is a pattern over the path and query', (t) => {
  t.true(matches('https://portal.example/*/report', 'https://portal.example/2026/report'));
  t.false(matches('https://portal.example/*/report', 'https://portal.example/2026/report/old'));
  t.true(matches('https://portal.example/app?mode=*', 'https://portal.example/app?mode=legacy'));
});

test('ports: none means the default port, an explicit one must match, :* means any', (t) => {
  t.true(matches('http://intranet:8080/', 'http://intranet:8080/app'));
  t.false(matches('http://intranet:8080/', 'http://intranet/app'));
  t.true(matches('http://intranet:*', 'http://intranet:9000/'));
  t.true(matches('http://intranet:*', 'http://intranet/'));
  t.true(matches('https://intranet:443/', 'https://intranet/'), 'an explicit default port is the default port');
});

test('international host names are compared in their ASCII form', (t) => {
  t.true(matches('http://*.bücher.example', 'http://www.xn--bcher-kva.example/'));
  t.true(matches('http://www.xn--bcher-kva.example', 'http://www.bücher.example/katalog'));
});

test('rules MED-V would not accept, or that cannot work, are refused with the reason', (t) => {
  const problem = (rule: string) => t.throws(() => parseUrlRule(rule), { instanceOf: UrlRuleProblem })!.message;
  t.is(problem('ftp://files.contoso.com'), 'uses ftp://: only http and https addresses can be redirected');
  t.is(problem('www.contoso.com'), 'must start with http:// or https://');
  t.is(problem('http//www.contoso.com'), 'must start with http:// or https://');
  t.is(problem('http://'), 'names no host');
  t.is(problem('http:///path'), 'names no host');
  t.is(problem('http://www.contoso.com/a page'), 'contains a space: write one web address per rule');
  t.is(problem('http://user@www.contoso.com'), 'contains a user name (@): give the host only');
  t.is(problem('http://www.contoso.com/#top'), 'contains a #fragment, which never reaches a web server: remove it');
  t.is(problem('http://www.contoso.com:99999/'), 'is not a valid web address');
  t.is(problem(''), 'is empty');
});

test('the more specific rule sorts first: literal host, then literal path, then fewer wildcards', (t) => {
  const order = ['http://*.contoso.com', 'http://www.contoso.com/webapps/*', 'http://www.contoso.com/webapps/webapp1', 'http://www.contoso.com']
    .map(parseUrlRule)
    .sort(compareSpecificity)
    .map((rule) => rule.text);
  t.deepEqual(order, ['http://www.contoso.com/webapps/webapp1', 'http://www.contoso.com/webapps/*', 'http://www.contoso.com', 'http://*.contoso.com']);
});

test('a verdict says why a rule does not match, so a typo shows', (t) => {
  const verdict = (rule: string, url: string) => judgeRule(parseUrlRule(rule), new URL(url)).reason;
  t.is(verdict('http://www.contoso.com', 'https://www.contoso.com/'), 'the rule is for http://, the address uses https://');
  t.is(verdict('http://www.contosso.com', 'http://www.contoso.com/'), 'the host www.contoso.com does not match www.contosso.com');
  t.is(verdict('http://www.contoso.com/webapps/webapp1', 'http://www.contoso.com/webapps/webapp10'), '/webapps/webapp10 is not /webapps/webapp1 or under it');
  t.is(verdict('http://*.contoso.com', 'http://a.contoso.com/x'), 'the host a.contoso.com matches *.contoso.com; the rule names no path: the whole site');
});

test('settings, workspace.json and the parser agree on what a rule is', (t) => {
  const check = SETTING_KEYS['redirection.urls'].check;
  const good = ['http://www.contoso.com/webapps/webapp1', 'http://*.contoso.com', 'https://intranet:8443/app?x=*', 'http://intranet:*'];
  const bad = ['ftp://files.contoso.com', 'www.contoso.com', 'http://', 'http:///path', 'http://a b', 'http://user@www.contoso.com', 'http://www.contoso.com/#top'];
  for (const rule of good) {
    t.notThrows(() => parseUrlRule(rule));
    t.is(check([rule]), undefined, rule);
    t.true(urlRule.safeParse(rule).success, rule);
  }
  for (const rule of bad) {
    t.throws(() => parseUrlRule(rule), { instanceOf: UrlRuleProblem });
    t.not(check([rule]), undefined, rule);
    const parsed = urlRule.safeParse(rule);
    t.false(parsed.success, rule);
    t.is(parsed.error?.issues[0]?.message, t.throws(() => parseUrlRule(rule))!.message, 'workspace.json names the same problem');
  }
});
