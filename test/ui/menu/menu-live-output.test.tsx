import test from 'ava';
import { entry, KEYS, noLaunches, renderMenu } from './helpers/render-menu.js';

// How the menu shows a command app's output while the app runs, with a launcher that sends
// output when the test says so (the real launcher against the fake hypervisor is in
// test/e2e/menu-live-output-screen.test.ts).

function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

test('output shown while the app runs follows its end, keeps the view against keys but Ctrl-C, then takes its exit', async (t) => {
  const more = gate();
  const launcher = {
    ...noLaunches,
    async runCommand(_entry: unknown, _progress: unknown, onOutput: (text: string) => void) {
      onOutput('line 1\n');
      await more.wait;
      onOutput(Array.from({ length: 40 }, (_, index) => `line ${index + 2}`).join('\n') + '\n');
      return { exitCode: 0 };
    },
  };
  const menu = renderMenu(t, [entry('office', 'report', 'Report')], { launcher: launcher as typeof noLaunches });
  await menu.press(KEYS.enter);
  const running = await menu.shows(/Report \(office\): running/);
  t.regex(running, /^line 1$/m);
  t.regex(running, /Ctrl-C quit/);
  await menu.press('x', KEYS.escape);
  t.regex(menu.frame(), /Report \(office\): running/);
  more.open();
  const done = await menu.shows(/Report \(office\): exit 0/);
  // Scrolled to the end of what came: the last line is on screen.
  t.regex(done, /^line 41$/m);
  t.regex(done, /any other key back to the menu/);
  await menu.press('x');
  await menu.shows(/type to filter/);
});

test('a launch that fails after some output leaves the running view for the menu, which shows the failure', async (t) => {
  const launcher = {
    ...noLaunches,
    async runCommand(_entry: unknown, _progress: unknown, onOutput: (text: string) => void) {
      onOutput('partial\n');
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('the guest agent went away');
    },
  };
  const menu = renderMenu(t, [entry('office', 'report', 'Report')], { launcher: launcher as typeof noLaunches });
  await menu.press(KEYS.enter);
  const failed = await menu.shows(/✗ Report: unexpected error: the guest agent went away/);
  t.notRegex(failed, /running/);
  t.regex(failed, /type to filter/);
});
