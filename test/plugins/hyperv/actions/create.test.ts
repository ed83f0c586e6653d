import test from 'ava';
import type { VmSpec } from 'twinbox/plugin-api';
import { hyperv } from '../support/harness.js';
import { DEMO_VM_ID, HyperVSteps, q } from '../transcripts/hyperv-steps.js';

const ps = new HyperVSteps();

function spec(overrides: Partial<VmSpec> = {}): VmSpec {
  return {
    id: 'demo',
    vmDir: 'C:\\Users\\ada\\twinbox\\vms\\demo',
    memoryMiB: 2048,
    cpus: 4,
    network: 'nat',
    channels: ['org.qemu.guest_agent.0', 'twinbox.console.0'],
    image: { path: 'C:\\Users\\ada\\twinbox\\images\\win11.vhdx', format: 'vhdx', sizeBytes: 1 },
    ...overrides,
  };
}

function createScript(options: { vmDir: string; base: string; switchPart: string; switchArg: string; secureBootOff: boolean; pipes: string[]; memory: number; cpus: number }): string {
  const disk = `${options.vmDir}\\twinbox-demo.vhdx`;
  return [
    `$disk = ${q(disk)}; $vm = $null;`,
    ...(options.switchPart ? [options.switchPart] : []),
    'try {',
    `$null = Hyper-V\\New-VHD -Path $disk -ParentPath ${q(options.base)} -Differencing;`,
    `$vm = Hyper-V\\New-VM -Name 'twinbox-demo' -Generation 2 -VHDPath $disk -MemoryStartupBytes ${options.memory} -Path ${q(options.vmDir)}${options.switchArg};`,
    `Hyper-V\\Set-VMProcessor -VM $vm -Count ${options.cpus};`,
    ...(options.secureBootOff ? ['Hyper-V\\Set-VMFirmware -VM $vm -EnableSecureBoot Off;'] : []),
    ...options.pipes.map((pipe, index) => `Hyper-V\\Set-VMComPort -VM $vm -Number ${index + 1} -Path ${q(pipe)};`),
    "if ((Get-Command Hyper-V\\Set-VM).Parameters.ContainsKey('AutomaticCheckpointsEnabled')) { Hyper-V\\Set-VM -VM $vm -AutomaticCheckpointsEnabled $false };",
    '[pscustomobject]@{ Id = $vm.Id.ToString(); Name = $vm.Name }',
    '} catch {',
    'if ($vm) { Hyper-V\\Remove-VM -VM $vm -Force -ErrorAction SilentlyContinue };',
    'if (Test-Path -LiteralPath $disk) { Remove-Item -LiteralPath $disk -Force -ErrorAction SilentlyContinue };',
    'throw }',
  ].join(' ');
}

test('a Windows guest on an external switch keeps Secure Boot and gets COM1 and COM2 pipes', async (t) => {
  const script = createScript({
    vmDir: 'C:\\Users\\ada\\twinbox\\vms\\demo',
    base: 'C:\\Users\\ada\\twinbox\\images\\win11.vhdx',
    switchPart:
      "$switch = Hyper-V\\Get-VMSwitch -SwitchType External | Select-Object -First 1; if (-not $switch) { Write-Error -Message 'Hyper-V has no external virtual switch to bridge onto' -Category ObjectNotFound -ErrorId TwinboxNoSwitch };",
    switchArg: ' -SwitchName $switch.Name',
    secureBootOff: false,
    pipes: ['\\\\.\\pipe\\twinbox-demo', '\\\\.\\pipe\\twinbox-demo-2'],
    memory: 2147483648,
    cpus: 4,
  });
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.ok(script, { Id: DEMO_VM_ID, Name: 'twinbox-demo' })]);
  const ref = await plugin.create(spec({ network: 'bridged', guestOs: 'windows' }));
  t.like(ref.data, { vmId: DEMO_VM_ID, 'channel:org.qemu.guest_agent.0': '\\\\.\\pipe\\twinbox-demo', 'channel:twinbox.console.0': '\\\\.\\pipe\\twinbox-demo-2' });
  t.notThrows(() => runner.assertDone());
});

test('from WSL, /mnt/c paths become Windows paths; no network means no switch', async (t) => {
  const script = createScript({
    vmDir: 'C:\\Users\\ada\\twinbox\\vms\\demo',
    base: 'C:\\Users\\ada\\twinbox\\images\\debian.vhdx',
    switchPart: '',
    switchArg: '',
    secureBootOff: true,
    pipes: [],
    memory: 536870912,
    cpus: 1,
  });
  const { plugin, runner } = hyperv(t, [...ps.boot(), ps.ok(script, { Id: DEMO_VM_ID, Name: 'twinbox-demo' })], { host: 'wsl' });
  const ref = await plugin.create(
    spec({ vmDir: '/mnt/c/Users/ada/twinbox/vms/demo', network: 'none', channels: [], memoryMiB: 512, cpus: 1, image: { path: '/mnt/c/Users/ada/twinbox/images/debian.vhdx', format: 'vhdx', sizeBytes: 1 } }),
  );
  t.like(ref.data, { diskPath: 'C:\\Users\\ada\\twinbox\\vms\\demo\\twinbox-demo.vhdx', basePath: 'C:\\Users\\ada\\twinbox\\images\\debian.vhdx' });
  t.notThrows(() => runner.assertDone());
});

test('from WSL, a folder inside the Linux file system is refused with the fix', async (t) => {
  const { plugin, runner } = hyperv(t, [], { host: 'wsl' });
  const error = await t.throwsAsync(plugin.create(spec({ vmDir: '/home/ada/.local/share/twinbox/vms/demo' })));
  t.like(error, { code: 'unsupported-path' });
  t.regex(String((error as { hint?: string }).hint), /TWINBOX_HOME=\/mnt\/c/);
  t.deepEqual(runner.calls, []);
});

test('a failed creation reports Hyper-V’s message (the script removed what it made)', async (t) => {
  const { plugin, runner } = hyperv(t, [
    ...ps.boot(),
    { shell: "$null = Hyper-V\\New-VHD -Path $disk -ParentPath 'C:\\Users\\ada\\twinbox\\images\\win11.vhdx' -Differencing;", stdout: '{"ok":false,"error":"Failed to create the virtual hard disk.\\r\\n\\r\\nThe system failed to create \'C:\\\\Users\\\\ada\\\\twinbox\\\\vms\\\\demo\\\\twinbox-demo.vhdx\': The file exists. (0x80070050).","category":"NotSpecified","errorId":"Microsoft.Vhd.PowerShell.Cmdlets.NewVhd"}\r\n' },
  ]);
  const error = await t.throwsAsync(plugin.create(spec()));
  t.like(error, { code: 'hyperv-failed' });
  t.regex(error!.message, /^Hyper-V could not create the VM: Failed to create the virtual hard disk.*The file exists/s);
  t.notThrows(() => runner.assertDone());
});

test('specs Hyper-V cannot honour are refused before PowerShell runs', async (t) => {
  const { plugin, runner } = hyperv(t, []);
  await t.throwsAsync(plugin.create(spec({ memoryMiB: 1025 })), { code: 'invalid-spec' });
  await t.throwsAsync(plugin.create(spec({ cpus: 0 })), { code: 'invalid-spec' });
  await t.throwsAsync(plugin.create(spec({ channels: ['a', 'b', 'c'] })), { code: 'invalid-spec' });
  await t.throwsAsync(plugin.create(spec({ image: { path: 'C:\\x.vdi', format: 'vdi', sizeBytes: 1 } })), { code: 'image-not-imported' });
  await t.throwsAsync(plugin.create(spec({ id: "x'; Stop-Computer; '" })), { code: 'invalid-name' });
  t.deepEqual(runner.calls, []);
});

test('paths with quotes and non-ASCII letters reach PowerShell as literals, never as code', async (t) => {
  const vmDir = "C:\\Users\\O'Brien\\twinbox\\vms\\demo";
  const base = 'C:\\Users\\Zoë\\images\\base.vhdx';
  const encoded = `([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${Buffer.from(base).toString('base64')}')))`;
  const { plugin, runner } = hyperv(t, [
    ...ps.boot(),
    { shell: `$disk = 'C:\\Users\\O''Brien\\twinbox\\vms\\demo\\twinbox-demo.vhdx'; $vm = $null;`, stdout: `{"ok":true,"value":{"Id":"${DEMO_VM_ID}","Name":"twinbox-demo"}}\r\n` },
  ]);
  await plugin.create(spec({ vmDir, network: 'none', channels: [], image: { path: base, format: 'vhdx', sizeBytes: 1 } }));
  const line = runner.calls.find((call) => call.kind === 'shell' && call.argv[0]!.includes('New-VHD'))!.argv[0]!;
  t.true(line.includes(`-ParentPath ${encoded} -Differencing`));
  t.true(line.includes(`-Path 'C:\\Users\\O''Brien\\twinbox\\vms\\demo'`));
  t.false(/[^\x20-\x7e]/.test(line), 'the command line is plain ASCII');
  t.notThrows(() => runner.assertDone());
});
