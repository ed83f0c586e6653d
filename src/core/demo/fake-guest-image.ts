import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TwinboxError, type CommandRunner } from '../../plugin-api/index.js';

/** Files of the demo guest for the fake hypervisor: its filesystem, packed as a tar "disk". */
const FILES: Record<string, GuestFile> = {
  'etc/os-release': {
    text: 'ID=twinbox-demo\nNAME="twinbox demo guest"\nPRETTY_NAME="twinbox demo guest (simulated)"\nVERSION_ID=1\n',
  },
  'etc/hostname': { text: 'demo-guest\n' },
  'usr/bin/hello': {
    mode: 0o755,
    // Runs inside the simulated guest: its working folder is the guest's root.
    text: '#!/bin/sh\necho "Hello from $(cat etc/hostname), a guest of twinbox."\necho "arguments: $*"\n',
  },
  'usr/share/applications/hello.desktop': {
    text: '[Desktop Entry]\nType=Application\nName=Hello\nComment=Greets from the guest\nExec=/usr/bin/hello %U\nCategories=Utility;\nX-Twinbox-Kind=command\n',
  },
  'usr/share/applications/shell.desktop': {
    text: '[Desktop Entry]\nType=Application\nName=Guest shell\nExec=/bin/sh\nTerminal=true\nCategories=System;TerminalEmulator;\n',
  },
  'usr/share/applications/settings.desktop': {
    text: '[Desktop Entry]\nType=Application\nName=Hidden settings\nExec=/usr/bin/settings\nNoDisplay=true\n',
  },
};

export interface GuestFile {
  text: string;
  mode?: number;
}

/**
 * Writes a simulated guest's filesystem (guest path without the leading slash → file) as a tar
 * archive: the fake hypervisor's disk image format.
 */
export async function packGuestFiles(runner: CommandRunner, files: Record<string, string | GuestFile>, output: string): Promise<void> {
  const staging = await mkdtemp(join(tmpdir(), 'tbx-guest-'));
  try {
    for (const [path, file] of Object.entries(files)) {
      const { text, mode } = typeof file === 'string' ? { text: file, mode: undefined } : file;
      const target = join(staging, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, text);
      if (mode !== undefined) await chmod(target, mode);
    }
    await mkdir(dirname(output), { recursive: true });
    const result = await runner.run('tar', ['-cf', output, '-C', staging, '.']);
    if (result.exitCode !== 0) {
      throw new TwinboxError('guest-image', `could not pack the simulated guest image: ${result.stderr.trim()}`);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The demo guest: two published apps and one hidden one. */
export function buildFakeGuestImage(runner: CommandRunner, output: string): Promise<void> {
  return packGuestFiles(runner, FILES, output);
}
