import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { makeTarImage } from '../plugins/fake/helpers/fake-fixture.js';
import { twinbox } from './cli.js';
import { forgetRuntimeDir } from './temp.js';

/** A guest with one command app, for packages run on the fake hypervisor. */
export const GREETER_GUEST: Record<string, string> = {
  'etc/hostname': 'base\n',
  'usr/bin/greet': '#!/bin/sh\necho "hello $*"\n',
  'usr/share/applications/greet.desktop': '[Desktop Entry]\nType=Application\nName=Greeter\nExec=/usr/bin/greet %U\nX-Twinbox-Kind=command\n',
};

/** Packs a `.twbx` for the fake hypervisor with `twinbox pack` and returns its path. */
export async function packFakeWorkspace(t: Pick<ExecutionContext, 'teardown'>, dir: string, name: string, version = '1.0.0', files = GREETER_GUEST): Promise<string> {
  const source = join(dir, `${name}-${version}-src`);
  mkdirSync(source, { recursive: true });
  await makeTarImage(source, files, 'guest.tar');
  const manifest = {
    name,
    version,
    description: `${name} made by a test`,
    image: { file: 'guest.tar', format: 'raw', sha256: 'auto' },
    vm: { memoryMiB: 256, cpus: 1, network: 'none' },
    hypervisors: { allowed: ['fake'], preferred: ['fake'] },
    setup: { computerName: 'TEST-###', copyTimeZone: false },
  };
  writeFileSync(join(source, 'workspace.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const file = join(dir, `${name}-${version}.twbx`);
  const packer = join(dir, 'packer');
  forgetRuntimeDir(t, packer);
  const packed = await twinbox(['pack', source, '--out', file], { TWINBOX_HOME: packer });
  if (packed.exitCode !== 0) throw new Error(`pack failed: ${packed.stderr}`);
  return file;
}
