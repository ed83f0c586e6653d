import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { twinbox, TWINBOX_BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { testHome, type TestHome } from '../core/workspace/helpers/installed-workspace.js';

/** A guest whose opener and notes app leave what they were given in the guest's /var/log. */
const GUEST = {
  'etc/hostname': 'guest\n',
  'usr/bin/xdg-open': '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$TWINBOX_GUEST_ROOT/var/log/opened"\n',
  'usr/bin/notes': '#!/bin/sh\necho "notes got $*"\nexit 4\n',
  'usr/share/applications/notes.desktop': '[Desktop Entry]\nType=Application\nName=Notes\nExec=/usr/bin/notes %f\nX-Twinbox-Kind=command\n',
  'var/log/.keep': '',
};

/** Host programs standing in for the desktop's: each records its arguments and environment. */
async function hostTools(t: ExecutionContext, extra: (log: string) => Record<string, string> = () => ({})): Promise<{ bin: string; log: string; env: NodeJS.ProcessEnv }> {
  const dir = tempDir(t, 'tbx-host-');
  const bin = join(dir, 'bin');
  const log = join(dir, 'opened.log');
  await mkdir(bin);
  const recorder = (name: string) => `#!/bin/sh\nprintf '${name} %s opening=%s\\n' "$*" "\${TWINBOX_OPENING:-}" >> '${log}'\n`;
  const tools: Record<string, string> = { 'xdg-open': recorder('xdg-open'), 'xdg-mime': '#!/bin/sh\necho firefox.desktop\n', ...extra(log) };
  for (const [name, body] of Object.entries(tools)) {
    await writeFile(join(bin, name), body);
    await chmod(join(bin, name), 0o755);
  }
  return { bin, log, env: { PATH: `${bin}:${process.env.PATH}`, BROWSER: '' } };
}

async function eventually(path: string): Promise<string> {
  // The guest's opener runs detached: wait until it has written, however slow the machine.
  for (let tries = 0; tries < 600 && !existsSync(path); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  return readFile(path, 'utf8');
}

async function installOffice(home: TestHome, redirection: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  await home.install({ name: 'office', files: GUEST, manifest: { redirection, ...extra } as never });
}

test('a matching address opens in the guest browser, starting the workspace; others open on the host', async (t) => {
  const home = testHome(t);
  await installOffice(home, { urls: ['http://*.contoso.com'] });
  const host = await hostTools(t);
  const env = { TWINBOX_HOME: home.home, ...host.env };

  const guest = await twinbox(['open', 'http://intranet.contoso.com/hr?form=4'], env);
  t.is(guest.exitCode, 0, guest.stderr);
  t.regex(guest.stderr, /running first-time setup[\s\S]*opened in the browser of workspace "office"/);
  t.is(await eventually(join(home.guestRoot('office'), 'var/log/opened')), 'http://intranet.contoso.com/hr?form=4\n');
  const events = await readFile(join(home.workspaceDir('office'), 'events.jsonl'), 'utf8');
  t.regex(events, /"message":"opened http:\/\/intranet\.contoso\.com\/hr in the guest's browser","code":4000/, 'logged without the query');
  t.false(existsSync(host.log), 'nothing went to the host');

  const other = await twinbox(['open', 'https://intranet.contoso.com/hr'], env);
  t.is(other.exitCode, 0, other.stderr);
  t.regex(other.stderr, /opened on the host with xdg-open/);
  t.is(await readFile(host.log, 'utf8'), 'xdg-open https://intranet.contoso.com/hr opening=1\n');

  // As $BROWSER, twinbox is called with the address alone.
  const asBrowser = await twinbox(['https://example.org/x'], env);
  t.is(asBrowser.exitCode, 0, asBrowser.stderr);
  t.regex(await readFile(host.log, 'utf8'), /\nxdg-open https:\/\/example\.org\/x opening=1\n$/);
});

test('a package\'s declared browser gets the address as its last argument', async (t) => {
  const home = testHome(t);
  const files = { ...GUEST, 'opt/browser/run': '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$TWINBOX_GUEST_ROOT/var/log/browser"\n' };
  await home.install({ name: 'office', files, manifest: { redirection: { urls: ['https://*.corp.example'], browser: ['/opt/browser/run', '--new-tab'] } } as never });
  const opened = await twinbox(['open', '--json', 'https://hr.corp.example/leave'], { TWINBOX_HOME: home.home });
  t.is(opened.exitCode, 0, opened.stderr);
  const result = JSON.parse(opened.stdout) as { destination: string; workspace: string; pid: number };
  t.is(result.destination, 'guest');
  t.true(result.pid > 0);
  t.is(await eventually(join(home.guestRoot('office'), 'var/log/browser')), '--new-tab\nhttps://hr.corp.example/leave\n');
  t.false(existsSync(join(home.guestRoot('office'), 'var/log/opened')), 'xdg-open was not used');
});

test('when the desktop hands the address back to twinbox, the second twinbox opens it in a browser instead of looping', async (t) => {
  const home = testHome(t);
  await installOffice(home, { urls: ['http://*.contoso.com'] });
  // xdg-open calls twinbox open again, as it does when twinbox-open.desktop is the default handler.
  const host = await hostTools(t, (log) => ({
    'xdg-open': `#!/bin/sh\nprintf 'xdg-open %s\\n' "$*" >> '${log}'\nexec '${process.execPath}' '${TWINBOX_BIN}' open "$@"\n`,
    firefox: `#!/bin/sh\nprintf 'firefox %s opening=%s\\n' "$*" "$TWINBOX_OPENING" >> '${log}'\n`,
  }));
  const result = await twinbox(['open', 'https://example.org/'], { TWINBOX_HOME: home.home, ...host.env });
  t.is(result.exitCode, 0, result.stderr);
  t.is(await readFile(host.log, 'utf8'), 'xdg-open https://example.org/\nfirefox https://example.org/ opening=1\n');
});

test('--explain names the matching rule of the right workspace and opens nothing', async (t) => {
  const home = testHome(t);
  await home.install({ name: 'office', files: GUEST, manifest: { redirection: { urls: ['http://*.contoso.com'] } } as never });
  await home.install({ name: 'legacy', files: GUEST, manifest: { redirection: { urls: ['http://www.contoso.com/webapps/*', 'http://*.contoso.com'] } } as never });
  const env = { TWINBOX_HOME: home.home };

  const specific = await twinbox(['open', '--explain', 'http://www.contoso.com/webapps/webapp1'], env);
  t.is(specific.exitCode, 0, specific.stderr);
  t.regex(specific.stdout, /opens in: workspace "legacy" \(the guest's browser\)/);
  t.regex(specific.stdout, /because:  the rule http:\/\/www\.contoso\.com\/webapps\/\* of workspace "legacy" \(package\) matches: the host is www\.contoso\.com; \/webapps\/webapp1 matches the pattern \/webapps\/\* \(2 other matching rules are less specific or in a later workspace\)/);

  // Equally specific rules in two workspaces: the first by name wins.
  const tie = await twinbox(['open', '--explain', '--json', 'http://mail.contoso.com/'], env);
  const route = JSON.parse(tie.stdout) as { destination: string; workspace: string; considered: Array<{ workspace: string; matched: boolean }> };
  t.is(route.destination, 'guest');
  t.is(route.workspace, 'legacy');
  t.deepEqual(route.considered.map((rule) => `${rule.workspace}:${rule.matched}`), ['legacy:false', 'legacy:true', 'office:true']);

  const host = await twinbox(['open', '--explain', 'https://www.contoso.com/'], env);
  t.regex(host.stdout, /opens in: the host's usual opener\n  because:  none of the 3 URL redirection rules matches/);
  t.regex(host.stdout, /legacy\s+package\s+http:\/\/\*\.contoso\.com\s+the rule is for http:\/\/, the address uses https:\/\//);

  for (const name of ['office', 'legacy']) t.false(existsSync(join(home.workspaceDir(name), 'vm')), `${name} was not started`);

  // A workspace machine policy does not let this user use has no say.
  const policyDir = tempDir(t, 'tbx-policy-');
  await writeFile(join(policyDir, 'policy.json'), JSON.stringify({ 'access.workspaces': { legacy: ['@nobody-group'] } }));
  const denied = JSON.parse((await twinbox(['open', '--explain', '--json', 'http://www.contoso.com/webapps/webapp1'], { ...env, TWINBOX_POLICY_DIR: policyDir })).stdout) as { workspace: string };
  t.is(denied.workspace, 'office');
});

test('your own redirection.urls replaces every package\'s rules, and --explain says where they come from', async (t) => {
  const home = testHome(t);
  await installOffice(home, { urls: ['http://*.contoso.com'] });
  const env = { TWINBOX_HOME: home.home };
  const set = await twinbox(['config', 'set', 'redirection.urls', '["https://portal.example/*"]'], env);
  t.is(set.exitCode, 0, set.stderr);
  const explained = JSON.parse((await twinbox(['open', '--explain', '--json', 'https://portal.example/app'], env)).stdout) as { workspace: string; rule: { source: string } };
  t.is(explained.workspace, 'office');
  t.is(explained.rule.source, 'user');
  const old = await twinbox(['open', '--explain', 'http://www.contoso.com/'], env);
  t.regex(old.stdout, /opens in: the host's usual opener/);
});

test('a file whose type the package maps opens in the guest app under its shared-folder path', async (t) => {
  const home = testHome(t);
  const shared = tempDir(t, 'tbx-share-');
  await mkdir(join(shared, 'q3'));
  await writeFile(join(shared, 'q3', 'report.txt'), 'numbers\n');
  await installOffice(home, { fileTypes: { txt: 'notes', md: 'ghost' } }, { sharedFolders: [{ host: shared, guest: '/mnt/share' }] });
  const host = await hostTools(t);
  const env = { TWINBOX_HOME: home.home, ...host.env };

  const explained = await twinbox(['open', '--explain', join(shared, 'q3', 'report.txt')], env);
  t.regex(explained.stdout, /opens in: workspace "office", app "notes" as \/mnt\/share\/q3\/report\.txt/);

  const opened = await twinbox(['open', '--quiet', join(shared, 'q3', 'report.txt')], env);
  t.is(opened.stdout, 'notes got /mnt/share/q3/report.txt\n');
  t.is(opened.exitCode, 4, 'the app\'s exit code');

  const outside = tempDir(t, 'tbx-out-');
  await writeFile(join(outside, 'memo.TXT'), 'x');
  const refused = await twinbox(['open', join(outside, 'memo.TXT')], env);
  t.is(refused.exitCode, 2);
  t.regex(refused.stderr, new RegExp(`memo\\.TXT is not in a folder shared with workspace "office", so its app "notes" cannot reach it\\nhint: move or copy it into a shared folder: ${shared.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(as /mnt/share\\)`));

  await writeFile(join(shared, 'readme.md'), 'x');
  const ghost = await twinbox(['open', join(shared, 'readme.md')], env);
  t.is(ghost.exitCode, 2);
  t.regex(ghost.stderr, /workspace "office" publishes no app "ghost"\nhint: published apps: notes/);

  await writeFile(join(outside, 'photo.png'), 'x');
  const other = await twinbox(['open', join(outside, 'photo.png')], env);
  t.is(other.exitCode, 0, other.stderr);
  t.is(await readFile(host.log, 'utf8'), `xdg-open ${join(outside, 'photo.png')} opening=1\n`);
});

test('bad input: an address that does not parse, a missing file, no argument, and a damaged rule is reported, not followed', async (t) => {
  const home = testHome(t);
  const env = { TWINBOX_HOME: home.home };
  const badUrl = await twinbox(['open', 'https://'], env);
  t.is(badUrl.exitCode, 2);
  t.regex(badUrl.stderr, /"https:\/\/" is not a web address twinbox can open: it does not parse as a URL\nhint: /);
  const missing = await twinbox(['open', 'no-such-file.docx'], env);
  t.is(missing.exitCode, 2);
  t.regex(missing.stderr, /no such file: no-such-file\.docx/);
  const none = await twinbox(['open'], env);
  t.is(none.exitCode, 2);
  t.regex(none.stderr, /give a web address or a file to open/);
  const badFlag = await twinbox(['open', '--nope', 'https://a.example/'], env);
  t.is(badFlag.exitCode, 2);

  // A policy file may carry a rule that only the parser can refuse (an invalid port).
  const policyDir = tempDir(t, 'tbx-policy-');
  await writeFile(join(policyDir, 'policy.json'), JSON.stringify({ 'redirection.urls': ['http://intranet:99999/', 'http://*.contoso.com'] }));
  await installOffice(home, {});
  const explained = await twinbox(['open', '--explain', 'http://www.contoso.com/'], { ...env, TWINBOX_POLICY_DIR: policyDir });
  t.is(explained.exitCode, 0, explained.stderr);
  t.regex(explained.stdout, /because:  the rule http:\/\/\*\.contoso\.com of workspace "office" \(policy:[^)]*policy\.json\) matches/);
  t.regex(explained.stdout, /problem:  workspace "office": the rule "http:\/\/intranet:99999\/" \(policy:[^)]*\) is not a valid web address; it is ignored/);
});
