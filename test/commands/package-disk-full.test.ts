import test from 'ava';
import { errorLines, newHome, writePackage } from '../core/package/helpers/cli-home.js';
import { installState } from '../core/package/helpers/state-snapshot.js';
import { mountTmpfs } from '../core/package/helpers/tmpfs.js';
import { sampleImage } from '../core/package/helpers/workspace-folder.js';

test('install refuses a package too big for the store\'s free disk space with exit 1, before writing anything', async (t) => {
  const home = newHome(t);
  const skip = mountTmpfs(t, home.home, '8m');
  if (skip) {
    t.log(`skipped: ${skip}`);
    t.pass();
    return;
  }
  const file = writePackage(home, { image: sampleImage(16 * 1024 * 1024) }, 'big.twbx');
  const before = installState(home.home);
  const result = await home.run(['install', file, '--unattended']);
  t.is(result.exitCode, 1, result.stderr);
  const lines = errorLines(result.stderr);
  t.is(lines.length, 2);
  t.regex(lines[0]!, /^twinbox: not enough free disk space in .*\/store: disk\.img needs 80\.0 MiB \(16\.0 MiB and a 64\.0 MiB margin\), [\d.]+ (KiB|MiB) is free$/);
  t.deepEqual(installState(home.home), before);
  t.deepEqual(before, { store: ['(no store folder)'], registry: null });
});
