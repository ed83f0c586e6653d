import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { virtualbox, VBOXMANAGE } from '../support/harness.js';
import { demoFixture } from '../support/fixture.js';
import { VBoxSteps } from '../transcripts/vbox-steps.js';

function setup(t: { teardown: (fn: () => void) => void }, which: Record<string, string> = { VBoxManage: VBOXMANAGE }) {
  const h = virtualbox([], { which });
  t.teardown(h.paths.cleanup);
  const fixture = demoFixture(h.paths);
  const base = join(fixture.imagesDir, 'base');
  const source = (name: string) => {
    const path = join(fixture.imagesDir, name);
    writeFileSync(path, 'image');
    return path;
  };
  return { ...h, fixture, vbox: new VBoxSteps(fixture), base, source };
}

test('qcow2 is converted by qemu-img', async (t) => {
  const h = setup(t, { VBoxManage: VBOXMANAGE, 'qemu-img': '/usr/bin/qemu-img' });
  const source = h.source('debian-12.qcow2');
  const target = join(h.base, 'debian-12.vdi');
  h.runner.append(
    { argv: ['/usr/bin/qemu-img', 'convert', '-f', 'qcow2', '-O', 'vdi', source, target], effect: () => writeFileSync(target, Buffer.alloc(4096)) },
  );
  const progress: (number | undefined)[] = [];
  const image = await h.plugin.importImage({ source, format: 'qcow2', destinationDir: h.base }, { onProgress: (p) => progress.push(p.percent) });
  t.deepEqual(image, { path: target, format: 'vdi', sizeBytes: 4096 });
  t.deepEqual(progress, [0, 100]);
  t.notThrows(() => h.runner.assertDone());
});

test('qcow2 without qemu-img is a clear error naming the fix', async (t) => {
  const h = setup(t);
  const source = h.source('debian-12.qcow2');
  const error = await t.throwsAsync(h.plugin.importImage({ source, format: 'qcow2', destinationDir: h.base }));
  t.like(error, { code: 'conversion-unavailable' });
  t.regex(String((error as { hint?: string }).hint), /qemu-utils/);
  t.notThrows(() => h.runner.assertDone());
});

test('qemu-img failing is reported with its message', async (t) => {
  const h = setup(t, { VBoxManage: VBOXMANAGE, 'qemu-img': '/usr/bin/qemu-img' });
  const source = h.source('broken.qcow2');
  h.runner.append({ argv: ['/usr/bin/qemu-img', 'convert', '-f', 'qcow2', '-O', 'vdi', source, join(h.base, 'broken.vdi')], exitCode: 1, stderr: `qemu-img: Could not open '${source}': Image is not in qcow2 format\n` });
  await t.throwsAsync(h.plugin.importImage({ source, format: 'qcow2', destinationDir: h.base }), { message: /Image is not in qcow2 format/ });
  t.notThrows(() => h.runner.assertDone());
});

test('raw images go through convertfromraw; vhd, vhdx, vdi and vmdk through clonemedium', async (t) => {
  const h = setup(t);
  const raw = h.source('disk.img');
  const rawTarget = join(h.base, 'disk.vdi');
  h.runner.append(
    h.vbox.call(['convertfromraw', raw, rawTarget, '--format', 'VDI'], {
      stdout: `Converting from raw image file="${raw}" to file="${rawTarget}"...\nCreating dynamic image with size 2147483648 bytes (2048MB)...\n`,
      effect: () => writeFileSync(rawTarget, 'vdi'),
    }),
  );
  await h.plugin.importImage({ source: raw, format: 'raw', destinationDir: h.base });
  for (const format of ['vhd', 'vhdx', 'vdi', 'vmdk'] as const) {
    const source = h.source(`win-${format}.${format}`);
    const target = join(h.base, `win-${format}.vdi`);
    h.runner.append(...h.vbox.importByClone(source, target));
    t.like(await h.plugin.importImage({ source, format, destinationDir: h.base }), { path: target, format: 'vdi' });
  }
  t.notThrows(() => h.runner.assertDone());
});

test('a missing source, an existing target and unknown formats are refused before anything runs', async (t) => {
  const h = setup(t);
  await t.throwsAsync(h.plugin.importImage({ source: join(h.fixture.imagesDir, 'nope.vmdk'), format: 'vmdk', destinationDir: h.base }), { code: 'image-not-found' });
  const source = h.source('again.vmdk');
  mkdirSync(h.base, { recursive: true });
  writeFileSync(join(h.base, 'again.vdi'), 'old');
  await t.throwsAsync(h.plugin.importImage({ source, format: 'vmdk', destinationDir: h.base }), { code: 'image-exists' });
  await t.throwsAsync(h.plugin.importImage({ source, format: 'iso' as never, destinationDir: h.base }), { code: 'unsupported-format' });
  t.notThrows(() => h.runner.assertDone());
});
