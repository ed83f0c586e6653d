import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { twinbox } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { testHome } from '../workspace/helpers/installed-workspace.js';

test('machine policy governs the computer-name mask the package chose', async (t) => {
  const h = testHome(t);
  await h.install({ manifest: { setup: { computerName: 'PKG-###', copyTimeZone: false } } });
  const policyDir = tempDir(t, 'tbx-policy-');
  mkdirSync(join(policyDir, 'policy.d'));
  writeFileSync(join(policyDir, 'policy.d', '10-org.json'), JSON.stringify({ 'setup.computerName': 'ORG-##' }));
  const env = { ...h.env, TWINBOX_POLICY_DIR: policyDir };

  const policy = await twinbox(['policy', '--workspace', 'office', '--json'], env);
  t.is(policy.exitCode, 0, policy.stderr);
  const text = policy.stdout;
  const settings = (JSON.parse(text) as { settings?: Array<Record<string, unknown>> }).settings ?? (JSON.parse(text) as Array<Record<string, unknown>>);
  const mask = settings.find((setting) => setting.key === 'setup.computerName');
  t.like(mask, { value: 'ORG-##', source: `policy:${join(policyDir, 'policy.d', '10-org.json')}`, locked: true, overridden: [{ source: 'package', value: 'PKG-###' }] });

  const setup = await twinbox(['setup', 'office', '--json'], env);
  t.is(setup.exitCode, 0, setup.stderr);
  const result = JSON.parse(setup.stdout.trim().split('\n').pop()!) as { computerName?: string };
  t.regex(result.computerName ?? '', /^ORG-\d\d$/);
  await h.removeVms();
});
