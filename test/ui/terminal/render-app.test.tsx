import test from 'ava';
import { keyboard, RecordingTerminal } from './helpers/memory-terminal.js';

// Ink draws nothing but its last frame while CI is set (it reads CI when it loads).
delete process.env.CI;
const { Text, useInput } = await import('ink');
const { renderApp } = await import('../../../src/ui/terminal/render-app.js');

function Screen({ text }: { text: string }) {
  useInput(() => undefined);
  return <Text>{text}</Text>;
}

const frame = () => new Promise((resolve) => setTimeout(resolve, 60));

test('a full-screen app keeps the terminal in raw mode from before its first frame to its end, across replace: no key is ever echoed onto the screen', async (t) => {
  const modes: boolean[] = [];
  const stdin = keyboard();
  stdin.setRawMode = (mode: boolean) => {
    modes.push(mode);
    return stdin;
  };
  const stdout = new RecordingTerminal() as unknown as NodeJS.WriteStream;
  const app = renderApp(() => <Screen text="reading the workspaces..." />, { stdin, stdout, stderr: stdout, env: { TERM: 'xterm-256color', LANG: 'C.UTF-8' }, alternateScreen: true });
  t.teardown(() => app.instance.unmount());
  t.is(modes[0], true, 'raw before the first frame');
  await frame();
  // The first screen's key handler goes, the next one's comes after the next frame's effects.
  app.replace(<Screen text="twinbox dashboard · 2 workspaces" />);
  await frame();
  app.replace(<Text>no keys read here</Text>);
  await frame();
  t.false(modes.includes(false), `raw mode was left while the app ran: ${JSON.stringify(modes)}`);
  app.instance.unmount();
  await app.done;
  t.is(modes.at(-1), false, 'cooked mode again once it ends');
});
