import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { DiskFormat, ProgressReport } from 'twinbox/plugin-api';
import { createQemuHypervisor } from '../../../../plugins/qemu/index.js';
import { systemClock } from '../../../../src/core/clock.js';
import { ExecaCommandRunner } from '../../../../src/core/process/execa-runner.js';
import { quietLogger } from '../helpers/real-qemu.js';

let qemuImg = true;
try {
  execFileSync('qemu-img', ['--version'], { stdio: 'ignore' });
} catch {
  qemuImg = false;
}
const imgTest = qemuImg ? test : test.skip;
if (!qemuImg) console.log('image import tests skipped: qemu-img is not installed (apt-get install qemu-utils)');

function setup(t: { teardown(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'tbq-img-'));
  t.teardown(() => {
    // The imported bases are read-only; their folder is not.
    rmSync(dir, { recursive: true, force: true });
  });
  const plugin = createQemuHypervisor({
    runner: new ExecaCommandRunner(),
    paths: { dataDir: join(dir, 'data'), cacheDir: join(dir, 'cache'), runtimeDir: join(dir, 'run') },
    clock: systemClock,
    logger: quietLogger,
  });
  // 8 MiB with a recognisable pattern in the middle.
  const raw = join(dir, 'disk.raw');
  const bytes = Buffer.alloc(8 * 1024 * 1024);
  bytes.fill('twinbox', 3 * 1024 * 1024, 4 * 1024 * 1024);
  writeFileSync(raw, bytes);
  return { dir, plugin, raw };
}

function convertTo(raw: string, format: string, target: string): string {
  execFileSync('qemu-img', ['convert', '-f', 'raw', '-O', format, raw, target]);
  return target;
}

for (const [format, qemuName] of [['vhd', 'vpc'], ['vhdx', 'vhdx'], ['vdi', 'vdi'], ['vmdk', 'vmdk'], ['raw', 'raw']] as const) {
  imgTest(`a ${format} image is converted to a read-only qcow2 base, reporting progress`, async (t) => {
    const { dir, plugin, raw } = setup(t);
    const source = format === 'raw' ? raw : convertTo(raw, qemuName, join(dir, `disk.${format}`));
    const reports: ProgressReport[] = [];
    const image = await plugin.importImage({ source, format: format as DiskFormat, destinationDir: join(dir, 'images') }, { onProgress: (p) => reports.push(p) });
    t.is(image.format, 'qcow2');
    t.is(image.path, join(dir, 'images', 'disk.qcow2'));
    t.is(statSync(image.path).mode & 0o777, 0o444);
    t.is(image.sizeBytes, statSync(image.path).size);
    const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', image.path], { encoding: 'utf8' })) as { format: string };
    t.is(info.format, 'qcow2');
    execFileSync('qemu-img', ['compare', '-f', 'raw', '-F', 'qcow2', raw, image.path]);
    const percents = reports.flatMap((report) => (report.percent === undefined ? [] : [report.percent]));
    t.is(percents[0], 0);
    t.is(percents.at(-1), 100);
    t.true(percents.length >= 3, `qemu-img's own progress came through: ${percents.join(', ')}`);
    t.deepEqual([...percents].sort((a, b) => a - b), percents, 'progress only goes up');
  });
}

imgTest('a qcow2 image is copied; one with a backing file is flattened', async (t) => {
  const { dir, plugin, raw } = setup(t);
  const qcow2 = convertTo(raw, 'qcow2', join(dir, 'plain.qcow2'));
  const copied = await plugin.importImage({ source: qcow2, format: 'qcow2', destinationDir: join(dir, 'a') });
  t.is(statSync(copied.path).size, statSync(qcow2).size);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', qcow2, '-F', 'qcow2', join(dir, 'layered.qcow2')]);
  const flat = await plugin.importImage({ source: join(dir, 'layered.qcow2'), format: 'qcow2', destinationDir: join(dir, 'b') });
  const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', flat.path], { encoding: 'utf8' })) as Record<string, unknown>;
  t.is(info['backing-filename'], undefined, 'the base stands alone');
  execFileSync('qemu-img', ['compare', raw, flat.path]);
});

imgTest("a corrupt image fails with qemu-img's message", async (t) => {
  const { dir, plugin } = setup(t);
  const bad = join(dir, 'bad.qcow2');
  writeFileSync(bad, 'this is not a disk image at all');
  const error = await t.throwsAsync(plugin.importImage({ source: bad, format: 'qcow2', destinationDir: join(dir, 'images') }));
  t.like(error, { code: 'invalid-image' });
  t.regex(error?.message ?? '', /Image is not in qcow2 format/);
  t.truthy((error as { hint?: string }).hint);
  const vdi = await t.throwsAsync(plugin.importImage({ source: bad, format: 'vdi', destinationDir: join(dir, 'images') }));
  t.regex(vdi?.message ?? '', /not in VDI format/);
});

imgTest('missing sources, unknown formats and existing destinations are refused', async (t) => {
  const { dir, plugin, raw } = setup(t);
  await t.throwsAsync(plugin.importImage({ source: join(dir, 'nope.raw'), format: 'raw', destinationDir: dir }), { code: 'image-not-found' });
  await t.throwsAsync(plugin.importImage({ source: raw, format: 'iso' as DiskFormat, destinationDir: dir }), { code: 'unsupported-format' });
  await plugin.importImage({ source: raw, format: 'raw', destinationDir: join(dir, 'images') });
  await t.throwsAsync(plugin.importImage({ source: raw, format: 'raw', destinationDir: join(dir, 'images') }), { code: 'image-exists' });
});
