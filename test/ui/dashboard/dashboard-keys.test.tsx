import { readFileSync } from 'node:fs';
import test, { type ExecutionContext } from 'ava';
import { workspaceStatus } from '../../../src/core/workspace/workspace-status.js';
import { bindingFor, KEY_TABLE, keyLabel } from '../../../src/ui/dashboard/key-table.js';
import { helpLines } from '../../../src/ui/dashboard/views/help-view.js';
import type { TestHome } from '../../core/workspace/helpers/installed-workspace.js';
import { fleet } from './helpers/fleet.js';
import { KEYS, renderDashboard, type Harness } from './helpers/dashboard-harness.js';

/** What a terminal sends for each key name of the table. */
const SENT: Record<string, string> = {
  up: KEYS.up,
  down: KEYS.down,
  pageup: '\u001B[5~',
  pagedown: KEYS.pageDown,
  return: KEYS.enter,
  escape: KEYS.escape,
  backspace: KEYS.backspace,
  'ctrl-c': '\u0003',
};

const summary = (name: string) => (frame: string) => frame.split('\n').some((line) => line.startsWith(`${name} 1.0.0:`));

interface Check {
  /** Keys pressed first, to get where the key works. */
  before?: string[];
  /** What the screen or the workspaces show after the key. */
  after(ui: Harness, home: TestHome, t: ExecutionContext): Promise<void>;
  /** Changes a workspace: gets a fleet of its own. */
  mutates?: boolean;
}

const shows = (expected: string | RegExp | ((frame: string) => boolean)) => async (ui: Harness) => {
  await ui.waitFor(expected);
};

/** One check per binding of the key table, by its first key. */
const CHECKS: Record<string, Check> = {
  '?': { after: shows('this help: every key') },
  q: {
    after: async (ui, _home, t) => {
      t.true(ui.exited());
    },
  },
  '/': { after: shows('filter: _') },
  up: { before: ['j'], after: shows(summary('lab')) },
  down: { after: shows(summary('office')) },
  pageup: { before: ['j'], after: shows(summary('lab')) },
  pagedown: { after: shows(summary('office')) },
  g: { before: ['j'], after: shows(summary('lab')) },
  G: { after: shows(summary('office')) },
  s: { before: ['j'], after: shows('office was already running'), mutates: true },
  S: {
    before: ['j'],
    mutates: true,
    after: async (ui, home, t) => {
      await ui.waitFor('office stopped (graceful)');
      t.is((await workspaceStatus(home.core(), 'office')).state, 'stopped');
    },
  },
  F: { before: ['j'], after: shows('Force stop office? The VM is powered off at once: unsaved work in its'), mutates: true },
  p: {
    before: ['j'],
    mutates: true,
    after: async (ui, home, t) => {
      await ui.waitFor('office is suspended: its memory is saved to disk');
      t.is((await workspaceStatus(home.core(), 'office')).state, 'suspended');
    },
  },
  r: { before: ['j'], after: shows('office restarted (shutdown: graceful)'), mutates: true },
  R: { before: ['j'], after: shows(/Reset office\? Its VM is deleted with everything in it/), mutates: true },
  n: { before: ['j'], after: shows(/took snapshot "snap-\d{8}-\d{6}" of office/), mutates: true },
  u: {
    mutates: true,
    after: async (ui, home, t) => {
      await ui.waitFor('Setting up lab');
      await ui.waitFor('lab is ready: 3 app(s) published');
      t.is((await workspaceStatus(home.core(), 'lab')).setup.state, 'ready');
    },
  },
  X: { before: ['j'], after: shows('Uninstall office? Its VM and disks, its installed package and its'), mutates: true },
  return: { after: shows('details: lab') },
  l: { after: shows('logs: lab') },
  P: { after: shows(/plugins\n[\s\S]*fake +hypervisor/) },
  D: { after: shows(/doctor\n[\s\S]*state folder/) },
  f: { before: ['l'], after: shows('paused (f follows again)') },
  escape: { before: ['?'], after: shows(/NAME +HYPERVISOR/) },
};

test('every binding of the key table has a check here, and help lists each with its keys and meaning', (t) => {
  t.deepEqual(Object.keys(CHECKS).sort(), KEY_TABLE.map((binding) => binding.keys[0]!).sort());
  const help = helpLines({ up: '^', down: 'v' }).map((line) => line.text);
  for (const binding of KEY_TABLE) {
    const labels = binding.keys.map((key) => keyLabel(key, { up: '^', down: 'v' }));
    t.true(
      help.some((line) => line.startsWith(`  ${labels.join(' ')} `) && line.endsWith(binding.help)),
      `help has a line for ${labels.join(' ')}: ${binding.help}`,
    );
  }
});

test('the README lists every key of the table with the help text the dashboard shows', (t) => {
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
  for (const binding of KEY_TABLE) {
    const keys = binding.keys.map((key) => `\`${keyLabel(key, { up: '↑', down: '↓' })}\``).join(' ');
    t.true(readme.includes(`| ${keys} | ${binding.help} |`), `README row for ${keys}`);
    if (binding.confirm) t.true(readme.includes(binding.confirm.replace('{name}', 'NAME')), `README names what ${keys} loses`);
  }
});

test('keys mean one thing in a scope: no key is bound twice where it works', (t) => {
  for (const where of ['list', 'views'] as const) {
    const seen = new Set<string>();
    for (const binding of KEY_TABLE.filter((candidate) => candidate.scope === where || candidate.scope === 'everywhere')) {
      for (const key of binding.keys) {
        t.false(seen.has(key), `${key} is bound twice in ${where}`);
        seen.add(key);
        t.is(bindingFor(key, where), binding);
      }
    }
  }
});

test.serial('every key of the table does what the help says', async (t) => {
  t.timeout(240_000);
  let shared: TestHome | undefined;
  for (const binding of KEY_TABLE) {
    const check = CHECKS[binding.keys[0]!]!;
    for (const key of check.mutates ? binding.keys.slice(0, 1) : binding.keys) {
      const home = check.mutates ? await fleet(t) : (shared ??= await fleet(t));
      const ui = renderDashboard(t, home.env);
      await ui.waitFor(summary('lab'));
      await ui.press(...(check.before ?? []));
      await ui.press(SENT[key] ?? key);
      try {
        await check.after(ui, home, t);
      } catch (error) {
        t.fail(`key ${key} (${binding.help}): ${(error as Error).message}`);
      }
      // An action still running when the test ends would race the removal of its VM.
      if (check.mutates) await ui.waitFor((frame) => !/(starting|stopping|suspending|restarting|snapshotting|setting up|resetting) (office|lab)\.\.\./.test(frame));
    }
  }
});
