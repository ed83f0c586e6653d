import { mkdirSync, writeFileSync } from 'node:fs';
import { join, win32 } from 'node:path';
import test from 'ava';
import { hyperv } from '../support/harness.js';
import { tempLifecyclePaths } from '../support/temp.js';
import { HyperVSteps, q } from '../transcripts/hyperv-steps.js';

const ps = new HyperVSteps();

function placeScript(mode: 'convert-vhd' | 'in-place', source: string, target: string): string {
  return [
    `$source = ${q(source)}; $target = ${q(target)};`,
    ...(mode === 'in-place' ? [] : ["if (Test-Path -LiteralPath $target) { Write-Error -Message 'the target file exists' -Category ResourceExists -ErrorId TwinboxImageExists };"]),
    'try {',
    ...(mode === 'convert-vhd' ? ['Hyper-V\\Convert-VHD -Path $source -DestinationPath $target -VHDType Dynamic;'] : []),
    '$vhd = Hyper-V\\Get-VHD -Path $target;',
  ].join(' ');
}

const VHD_INFO = { Path: 'x', VhdFormat: 'VHDX', VhdType: 'Dynamic', FileSize: 4194304, Size: 10737418240 };

test('a VHD is converted to VHDX (Generation 2 boots only from VHDX)', async (t) => {
  const paths = tempLifecyclePaths(t);
  const source = join(paths.root, 'old.vhd');
  writeFileSync(source, 'conectix');
  const target = join(paths.imagesDir, 'old.vhdx');
  const { plugin, runner } = hyperv(t, [...ps.boot(), { shell: placeScript('convert-vhd', win32.normalize(source), win32.normalize(target)), stdout: `{"ok":true,"value":${JSON.stringify(VHD_INFO)}}\r\n` }]);
  t.deepEqual(await plugin.importImage({ source, format: 'vhd', destinationDir: paths.imagesDir }), { path: target, format: 'vhdx', sizeBytes: 4194304 });
  t.notThrows(() => runner.assertDone());
});

test('qcow2 is converted by qemu-img.exe with Windows paths, then checked in place', async (t) => {
  const paths = tempLifecyclePaths(t);
  const source = join(paths.root, 'debian.qcow2');
  writeFileSync(source, 'QFI');
  const target = join(paths.imagesDir, 'debian.vhdx');
  const qemu = 'C:\\Program Files\\qemu\\qemu-img.exe';
  const { plugin, runner } = hyperv(
    t,
    [
      { argv: [qemu, 'convert', '-f', 'qcow2', '-O', 'vhdx', '-o', 'subformat=dynamic', win32.normalize(source), win32.normalize(target)] },
      ...ps.boot(),
      { shell: placeScript('in-place', win32.normalize(source), win32.normalize(target)), stdout: `{"ok":true,"value":${JSON.stringify(VHD_INFO)}}\r\n` },
    ],
    { which: { 'powershell.exe': 'C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'qemu-img.exe': qemu } },
  );
  const progress: string[] = [];
  await plugin.importImage({ source, format: 'qcow2', destinationDir: paths.imagesDir }, { onProgress: (p) => progress.push(p.message ?? '') });
  t.deepEqual(progress, ['converting debian.qcow2 to VHDX with qemu-img', 'placing the read-only base disk', 'imported']);
  t.notThrows(() => runner.assertDone());
});

test('from WSL, an image folder outside the Windows drives is refused before anything runs', async (t) => {
  const paths = tempLifecyclePaths(t);
  const source = join(paths.root, 'disk.img');
  writeFileSync(source, 'raw');
  const { plugin, runner } = hyperv(t, [], { host: 'wsl', which: { 'powershell.exe': '/mnt/c/WINDOWS/System32/WindowsPowerShell/v1.0/powershell.exe', 'qemu-img': '/usr/bin/qemu-img' } });
  await t.throwsAsync(plugin.importImage({ source, format: 'raw', destinationDir: paths.imagesDir }), { code: 'unsupported-path' });
  t.deepEqual(runner.calls, []);
});

test('without qemu-img, formats Hyper-V cannot read are a clear error', async (t) => {
  const paths = tempLifecyclePaths(t);
  const source = join(paths.root, 'debian.vmdk');
  writeFileSync(source, 'KDMV');
  const { plugin, runner } = hyperv(t, []);
  const error = await t.throwsAsync(plugin.importImage({ source, format: 'vmdk', destinationDir: paths.imagesDir }));
  t.like(error, { code: 'conversion-unavailable' });
  t.regex(String((error as { hint?: string }).hint), /winget install SoftwareFreedomConservancy\.QEMU/);
  t.notThrows(() => runner.assertDone());
});

test('an existing target and a missing source are refused first', async (t) => {
  const paths = tempLifecyclePaths(t);
  mkdirSync(paths.imagesDir, { recursive: true });
  writeFileSync(join(paths.imagesDir, 'debian-12.vhdx'), 'old');
  const { plugin, runner } = hyperv(t, []);
  await t.throwsAsync(plugin.importImage({ source: paths.source, format: 'vhdx', destinationDir: paths.imagesDir }), { code: 'image-exists' });
  await t.throwsAsync(plugin.importImage({ source: join(paths.root, 'nope.vhdx'), format: 'vhdx', destinationDir: paths.imagesDir }), { code: 'image-not-found' });
  t.notThrows(() => runner.assertDone());
});
