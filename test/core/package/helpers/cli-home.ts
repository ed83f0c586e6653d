import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { twinbox, type CliResult } from '../../../helpers/cli.js';
import { forgetRuntimeDir, tempDir } from '../../../helpers/temp.js';
import { packageArchive, type PartsOptions } from './tar-fixtures.js';

export interface TestHome {
  /** A scratch folder for package files and the like. */
  dir: string;
  /** TWINBOX_HOME. */
  home: string;
  env: NodeJS.ProcessEnv;
  run(args: string[]): Promise<CliResult>;
}

export function newHome(t: ExecutionContext): TestHome {
  const dir = tempDir(t, 'tbx-pkg-');
  const home = join(dir, 'home');
  forgetRuntimeDir(t, home);
  mkdirSync(home);
  const env = { TWINBOX_HOME: home };
  return { dir, home, env, run: (args) => twinbox(args, env) };
}

/** Writes settings.json before twinbox first runs. */
export function writeSettings(home: string, settings: Record<string, unknown>): void {
  mkdirSync(join(home, 'config'), { recursive: true });
  writeFileSync(join(home, 'config', 'settings.json'), JSON.stringify(settings));
}

/** Writes a package built in memory and returns its path. */
export function writePackage(home: TestHome, options: PartsOptions = {}, name = 'package.twbx'): string {
  const file = join(home.dir, name);
  writeFileSync(file, packageArchive(options));
  return file;
}

/**
 * A home where a workspace named "base" is installed, made once and copied for each test: the
 * state a rejected install must leave exactly as it was.
 */
export function homeWithBaseInstalled(template: string, t: ExecutionContext): TestHome {
  const home = newHome(t);
  cpSync(template, home.home, { recursive: true });
  return home;
}

export async function makeBaseTemplate(dir: string): Promise<string> {
  const home = join(dir, 'template-home');
  mkdirSync(home, { recursive: true });
  const file = join(dir, 'base.twbx');
  writeFileSync(file, packageArchive({ name: 'base', version: '3.1.4' }));
  const result = await twinbox(['install', file, '--unattended'], { TWINBOX_HOME: home });
  if (result.exitCode !== 0) throw new Error(`installing the base workspace failed: ${result.stderr}`);
  return home;
}

/** Stderr without the progress lines: what a user or a log reads as the error. */
export function errorLines(stderr: string): string[] {
  return stderr
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '' && !/^(unpacking|packing|hashing) .*: \d+%$/.test(line));
}

/** Events of a JSON-lines log. */
export function events(file: string): Array<{ code?: number; level: string; message: string; fields?: Record<string, unknown> }> {
  try {
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { code?: number; level: string; message: string });
  } catch {
    return [];
  }
}
