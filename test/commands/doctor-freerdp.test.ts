import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { twinbox } from '../helpers/cli.js';
import { has } from '../helpers/processes.js';

// The real xfreerdp 2 (Debian's freerdp2-x11, which .ci/run installs) prints its version only
// with a display: doctor on a terminal without one must still find it.
const present = has('xfreerdp');
(present || process.env.CI ? test : test.skip)('doctor finds an installed xfreerdp on a terminal without a display', async (t) => {
  t.true(present, 'xfreerdp is installed (apt-get install freerdp2-x11)');
  const home = mkdtempSync(join(tmpdir(), 'tbx-doctor-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  const result = await twinbox(['doctor', '--json'], { TWINBOX_HOME: home, DISPLAY: '', WAYLAND_DISPLAY: '' });
  const { checks } = JSON.parse(result.stdout) as { checks: { check: string; status: string; detail: string }[] };
  const freerdp = checks.find((check) => check.check === 'freerdp');
  t.is(freerdp?.status, 'ok', JSON.stringify(freerdp));
  t.regex(freerdp!.detail, /xfreerdp \(version shown only with a display\)/);
});
