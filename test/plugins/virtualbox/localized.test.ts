import test from 'ava';
import { parseFailure, toTwinboxError, isTransient } from '../../../plugins/virtualbox/driver/errors.js';
import { isNoSnapshots } from '../../../plugins/virtualbox/actions/snapshots.js';
import { virtualbox, VBOXMANAGE, type HarnessOptions } from './support/harness.js';
import { demoFixture } from './support/fixture.js';
import { VBoxSteps } from './transcripts/vbox-steps.js';
import * as out from './transcripts/vboxmanage-output.js';

// Every failure is decided by the status code, the interface and the exit code, so the same
// tests pass on VBoxManage's English, German and French (out.LOCALIZED says what changes).

const LANGUAGES = ['en', 'de', 'fr'] as const;
type Language = (typeof LANGUAGES)[number];
const IP_PROPERTY = '/VirtualBox/GuestInfo/Net/0/V4/IP';

function setup(t: { teardown: (fn: () => void) => void }, options: HarnessOptions = {}) {
  const h = virtualbox([], options);
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  return { ...h, fixture, vbox: new VBoxSteps(fixture), ref: { id: 'demo', vmDir: fixture.vmDir, data: { uuid: fixture.uuid } } };
}

const texts = {
  locked: (language: Language) => (language === 'en' ? out.lockedForSession('demo') : out.LOCALIZED.lockedForSession('demo', language)),
  denied: (language: Language) => (language === 'en' ? out.accessDenied('/images/base.vdi') : out.LOCALIZED.accessDenied('/images/base.vdi', language)),
  state: (language: Language) => (language === 'en' ? out.invalidVmState('demo') : out.LOCALIZED.invalidVmState('demo', language)),
  noSnapshots: (language: Language) => (language === 'en' ? out.NO_SNAPSHOTS : out.LOCALIZED.noSnapshots[language]),
  property: (language: Language, value: string | undefined) =>
    language === 'en' ? out.guestProperty(value) : value === undefined ? out.LOCALIZED.noGuestProperty[language] : out.LOCALIZED.guestProperty[language](value),
};

for (const language of LANGUAGES) {
  test(`${language}: a lock held by another session is transient, by VBOX_E_INVALID_OBJECT_STATE`, (t) => {
    const failure = parseFailure(1, '', texts.locked(language));
    t.is(failure.code, 'VBOX_E_INVALID_OBJECT_STATE');
    t.true(isTransient(failure));
    t.is(toTwinboxError(failure, ['modifyvm'], true).code, 'vm-busy');
  });

  test(`${language}: an image the user may not read is permission-denied, by VERR_ACCESS_DENIED`, (t) => {
    t.like(toTwinboxError(parseFailure(1, '', texts.denied(language)), ['showmediuminfo']), { code: 'permission-denied', exit: 'denied' });
  });

  test(`${language}: restoring a running VM is invalid-state, by VBOX_E_INVALID_VM_STATE`, (t) => {
    t.is(toTwinboxError(parseFailure(1, '', texts.state(language)), ['snapshot']).code, 'invalid-state');
  });

  test(`${language}: a VM that is gone is not-created, by VBOX_E_OBJECT_NOT_FOUND from FindMachine`, async (t) => {
    const h = setup(t);
    h.runner.append(h.vbox.call(['showvminfo', h.fixture.uuid, '--machinereadable'], { exitCode: 1, stderr: out.machineNotFound(h.fixture.uuid, { german: language !== 'en' }) }));
    t.like(await h.plugin.state(h.ref), { state: 'not-created' });
    t.notThrows(() => h.runner.assertDone());
  });

  test(`${language}: no snapshots is an empty list (exit 1, no error block, no status code), whatever the sentence`, async (t) => {
    const h = setup(t);
    h.runner.append(h.vbox.call(['snapshot', h.fixture.uuid, 'list', '--machinereadable'], { exitCode: 1, stdout: texts.noSnapshots(language) }));
    t.deepEqual(await h.plugin.listSnapshots(h.ref), []);
    t.notThrows(() => h.runner.assertDone());
  });

  test(`${language}: a bridged guest's address is read from guestproperty whatever its label`, async (t) => {
    const h = setup(t);
    h.runner.append(
      h.vbox.showvminfo('running', {}, { nic: 'bridged' }),
      h.vbox.call(['guestproperty', 'get', h.fixture.uuid, IP_PROPERTY], { stdout: texts.property(language, '192.168.1.57') }),
      h.vbox.showvminfo('running', {}, { nic: 'bridged' }),
      h.vbox.call(['guestproperty', 'get', h.fixture.uuid, IP_PROPERTY], { stdout: texts.property(language, undefined) }),
    );
    t.deepEqual(await h.plugin.forwardPort(h.ref, 3389), { host: '192.168.1.57', port: 3389 });
    t.is(await h.plugin.forwardPort(h.ref, 3389), undefined);
    t.notThrows(() => h.runner.assertDone());
  });
}

test('a missing VM is not taken for "no snapshots", nor is any failure with a status code', (t) => {
  t.false(isNoSnapshots(parseFailure(1, '', out.machineNotFound('6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b'))));
  t.false(isNoSnapshots(parseFailure(1, out.snapshotList(['clean']), '')));
  t.false(isNoSnapshots(parseFailure(2, out.NO_SNAPSHOTS, '')), 'exit 2 is a refused command line');
  t.true(isNoSnapshots(parseFailure(1, out.LOCALIZED.noSnapshots.de, '')));
});

test("E_ACCESSDENIED from a VM's keyboard or console means it is not running, not missing rights", (t) => {
  for (const language of ['de', 'fr'] as const) {
    const error = toTwinboxError(parseFailure(1, '', out.LOCALIZED.consoleNotPoweredUp(language)), ['controlvm']);
    t.is(error.code, 'invalid-state', language);
  }
});

test('exit code 2 without a status code is a command line VBoxManage refused (RTEXITCODE_SYNTAX)', (t) => {
  const error = toTwinboxError(parseFailure(2, '', 'VBoxManage: error: Unknown option: --foo\n'), ['modifyvm']);
  t.is(error.code, 'vboxmanage-syntax');
  t.regex(error.message, /did not accept its command line \(exit code 2\)/);
});

for (const program of ['xfreerdp3', 'sdl-freerdp3', 'xfreerdp', 'wlfreerdp']) {
  test(`the screen viewer is FreeRDP under the name this host has: ${program}`, async (t) => {
    const h = setup(t, { which: { VBoxManage: VBOXMANAGE, [program]: `/usr/bin/${program}` } });
    h.runner.append(h.vbox.showvminfo('running', {}, { vrde: { port: 5001 } }));
    const screen = await h.plugin.display(h.ref);
    t.deepEqual(screen?.viewerCommand, [program, '/v:127.0.0.1:5001', '/u:ada']);
    t.notThrows(() => h.runner.assertDone());
  });
}
