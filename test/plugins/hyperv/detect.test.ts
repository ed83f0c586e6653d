import test from 'ava';
import { hyperv } from './support/harness.js';
import { DETECT_SCRIPT_TEXT, hostFacts, HyperVSteps, PS_EXE, type HostFacts } from './transcripts/hyperv-steps.js';

const ps = new HyperVSteps();

async function detectWith(t: Parameters<typeof hyperv>[0], facts: HostFacts, host: 'windows' | 'wsl' = 'windows') {
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.ok(DETECT_SCRIPT_TEXT, hostFacts(facts))], { host });
  const availability = await plugin.detect();
  runner.assertDone();
  return availability;
}

test('usable as a member of "Hyper-V Administrators"', async (t) => {
  t.deepEqual(await detectWith(t, {}), {
    usable: true,
    reason: 'Hyper-V (module 2.0.0.0, PowerShell 5.1.22621.4391)',
    version: '2.0.0.0',
    details: { powershell: PS_EXE, powershellVersion: '5.1.22621.4391', user: 'DESKTOP-7K2QF1M\\ada', rights: 'Hyper-V Administrators' },
  });
});

test('usable as an elevated administrator; from WSL it says the channels are out of reach', async (t) => {
  const availability = await detectWith(t, { IsAdmin: true, IsHyperVAdmin: false }, 'wsl');
  t.true(availability.usable);
  t.regex(availability.reason, /from WSL/);
  t.like(availability.details, { rights: 'administrator', channels: 'unavailable from WSL (Windows named pipes)' });
});

test('neither admin nor in "Hyper-V Administrators": the reason gives the command that fixes it', async (t) => {
  const availability = await detectWith(t, { IsAdmin: false, IsHyperVAdmin: false });
  t.false(availability.usable);
  t.regex(availability.reason, /DESKTOP-7K2QF1M\\ada is neither running as administrator nor a member of "Hyper-V Administrators"/);
  t.regex(availability.reason, /Add-LocalGroupMember -SID S-1-5-32-578 -Member 'DESKTOP-7K2QF1M\\ada'.*sign out and in again/);
});

test('Hyper-V feature disabled (no vmms service): enable it and restart', async (t) => {
  const availability = await detectWith(t, { VmmsStatus: null, ModuleVersion: null });
  t.false(availability.usable);
  t.regex(availability.reason, /the Hyper-V feature is not enabled: run `Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V -All`.*restart Windows/);
});

test('Hyper-V module missing: enable the management tools', async (t) => {
  const availability = await detectWith(t, { ModuleVersion: null });
  t.false(availability.usable);
  t.regex(availability.reason, /Hyper-V PowerShell module is missing: run `Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V-Management-PowerShell`/);
});

test('the VM management service stopped: start it', async (t) => {
  const availability = await detectWith(t, { VmmsStatus: 'Stopped' });
  t.false(availability.usable);
  t.regex(availability.reason, /vmms\) is Stopped: run `Start-Service vmms`/);
});

test('PowerShell missing: the reason says where it lives and how WSL finds it', async (t) => {
  const { plugin, runner } = hyperv(t, [], { which: {} });
  const availability = await plugin.detect();
  t.false(availability.usable);
  t.regex(availability.reason, /PowerShell was not found \(powershell\.exe or pwsh\).*appendWindowsPath/);
  t.notThrows(() => runner.assertDone());
});

test('pwsh is used where Windows PowerShell is not on PATH', async (t) => {
  const pwsh = 'C:\\Program Files\\PowerShell\\7\\pwsh.exe';
  const steps = new HyperVSteps({ exe: pwsh, id: 'demo', vmId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' });
  const { plugin, runner } = hyperv(t, [...steps.boot(), steps.ok(DETECT_SCRIPT_TEXT, hostFacts({ PSVersion: '7.4.6', PSEdition: 'Core' }))], { which: { 'pwsh.exe': pwsh } });
  t.like(await plugin.detect(), { usable: true, details: { powershell: pwsh, powershellVersion: '7.4.6' } });
  t.notThrows(() => runner.assertDone());
});

test('not Windows and not WSL: unusable without running anything', async (t) => {
  const { plugin, runner } = hyperv(t, [], { host: 'other' });
  const availability = await plugin.detect();
  t.false(availability.usable);
  t.regex(availability.reason, /Hyper-V runs only on Windows/);
  t.deepEqual(runner.calls, []);
});

test('a PowerShell that does not answer makes Hyper-V unusable with the reason', async (t) => {
  const { plugin, runner } = hyperv(t, [{ ...ps.spawn(), notFound: true }]);
  const availability = await plugin.detect();
  t.false(availability.usable);
  t.regex(availability.reason, /did not answer: PowerShell .* could not be started/);
  t.notThrows(() => runner.assertDone());
});
