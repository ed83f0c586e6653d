import { execFile, execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { desktopEntryApp, localeCandidates } from '../../../plugins/qga/apps/desktop-entry.js';
import { appsFromDesktopFiles, LINUX_APPS_SCRIPT, splitDesktopListing } from '../../../plugins/qga/apps/linux.js';

const run = promisify(execFile);

function busybox(): string | undefined {
  for (const path of ['/bin/busybox', '/usr/bin/busybox']) {
    try {
      execFileSync(path, ['true'], { stdio: 'ignore' });
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

// The real listing script under the shells guests have: dash (/bin/sh on Debian) and busybox's ash (the tiny guest's).
const SHELLS: Array<[string, string[]]> = [['/bin/sh', ['-c']], ...(busybox() ? [[busybox()!, ['sh', '-c']] as [string, string[]]] : [])];

for (const [shell, prefix] of SHELLS) {
  test(`${shell}: an entry whose TryExec names a program the guest lacks is not published; one it has, or none, is`, async (t) => {
    const root = await mkdtemp(join(tmpdir(), 'qga-tryexec-'));
    t.teardown(() => rm(root, { recursive: true, force: true }));
    const apps = join(root, 'usr/share/applications');
    await mkdir(apps, { recursive: true });
    await mkdir(join(root, 'usr/bin'), { recursive: true });
    await mkdir(join(root, 'opt/tool'), { recursive: true });
    await writeFile(join(root, 'usr/bin/present'), '#!/bin/sh\n');
    await chmod(join(root, 'usr/bin/present'), 0o755);
    await writeFile(join(root, 'opt/tool/run'), '#!/bin/sh\n');
    await chmod(join(root, 'opt/tool/run'), 0o755);
    await writeFile(join(root, 'opt/tool/not-executable'), 'data\n');
    const entry = (name: string, extra: string) => `[Desktop Entry]\nType=Application\nName=${name}\nExec=${name.toLowerCase()}\n${extra}`;
    await writeFile(join(apps, 'a-bare.desktop'), entry('Bare', 'TryExec=present\n'));
    await writeFile(join(apps, 'b-absolute.desktop'), entry('Absolute', 'TryExec=/opt/tool/run\n'));
    await writeFile(join(apps, 'c-missing.desktop'), entry('Missing', 'TryExec=no-such-program-here\n'));
    await writeFile(join(apps, 'd-missing-absolute.desktop'), entry('MissingAbsolute', 'TryExec = /opt/tool/gone\n'));
    await writeFile(join(apps, 'e-not-executable.desktop'), entry('NotExecutable', 'TryExec=/opt/tool/not-executable\n'));
    await writeFile(join(apps, 'f-none.desktop'), entry('None', ''));
    await writeFile(join(apps, 'g-action-only.desktop'), `${entry('ActionOnly', 'Actions=x;\n')}\n[Desktop Action x]\nName=X\nExec=x\nTryExec=no-such-program-here\n`);
    await writeFile(join(apps, 'h-crlf.desktop'), entry('Crlf', 'TryExec=present\n').replace(/\n/g, '\r\n'));
    const { stdout } = await run(shell, [...prefix, LINUX_APPS_SCRIPT], { env: { ...process.env, TWINBOX_GUEST_ROOT: root } });
    const files = splitDesktopListing(stdout);
    t.deepEqual(files.filter((file) => file.tryExecMissing).map((file) => file.path.split('/').at(-1)), ['c-missing.desktop', 'd-missing-absolute.desktop', 'e-not-executable.desktop']);
    t.deepEqual(appsFromDesktopFiles(files, []).map((app) => app.name), ['Absolute', 'ActionOnly', 'Bare', 'Crlf', 'None']);
  });
}

test('the locales asked for, best first, as the Desktop Entry spec matches them', (t) => {
  t.deepEqual(localeCandidates({ LANG: 'de_DE.UTF-8' }), ['de_DE', 'de']);
  t.deepEqual(localeCandidates({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'sr_RS.UTF-8@latin' }), ['sr_RS@latin', 'sr_RS', 'sr@latin', 'sr']);
  t.deepEqual(localeCandidates({ LANG: 'fr_FR.UTF-8', LANGUAGE: 'de_AT:de' }), ['de_AT', 'de', 'fr_FR', 'fr']);
  t.deepEqual(localeCandidates({ LANG: 'fr_FR.UTF-8', LC_ALL: 'pt_BR.UTF-8' }), ['pt_BR', 'pt']);
  t.deepEqual(localeCandidates({ LANG: 'C.UTF-8', LANGUAGE: 'de' }), [], 'gettext ignores LANGUAGE under the C locale');
  t.deepEqual(localeCandidates({}), []);
});

test('Name[de] names the app for a German user, Name[de_AT] first for an Austrian one, Name for everyone else', (t) => {
  const text = '[Desktop Entry]\nType=Application\nName=Calculator\nName[de]=Rechner\nName[de_AT]=Taschenrechner\nName[fr]=Calculatrice\nExec=calc\n';
  const where = { id: 'calc', source: '/usr/share/applications/calc.desktop' };
  t.is(desktopEntryApp(text, where, localeCandidates({ LANG: 'de_DE.UTF-8' }))?.name, 'Rechner');
  t.is(desktopEntryApp(text, where, localeCandidates({ LANG: 'de_AT.UTF-8' }))?.name, 'Taschenrechner');
  t.is(desktopEntryApp(text, where, localeCandidates({ LANG: 'en_US.UTF-8', LANGUAGE: 'fr:de' }))?.name, 'Calculatrice');
  t.is(desktopEntryApp(text, where, localeCandidates({ LANG: 'es_ES.UTF-8' }))?.name, 'Calculator');
  t.is(desktopEntryApp(text, where, [])?.name, 'Calculator');
  t.is(desktopEntryApp(text, where, localeCandidates({ LC_MESSAGES: 'de_CH.UTF-8', LANG: 'en_GB.UTF-8' }))?.name, 'Rechner', 'LC_MESSAGES before LANG');
});

test('a translated app keeps its untranslated Name beside it, for the menu filter; an untranslated one has none', (t) => {
  const text = '[Desktop Entry]\nType=Application\nName=Calculator\nName[de]=Rechner\nExec=calc\n';
  const where = { id: 'calc', source: '/usr/share/applications/calc.desktop' };
  t.like(desktopEntryApp(text, where, ['de']), { name: 'Rechner', untranslatedName: 'Calculator' });
  t.is(desktopEntryApp(text, where, ['fr'])?.untranslatedName, undefined);
  t.is(desktopEntryApp('[Desktop Entry]\nType=Application\nName[de]=Rechner\nExec=calc\n', where, ['de'])?.untranslatedName, undefined, 'no plain Name: nothing to find it by');
});
