import test from 'ava';
import { TmuxSession, tmuxMissing } from '../helpers/tmux.js';

const skip = tmuxMissing();

(skip ? test.skip : test)('the tmux driver shows a program\'s screen, sends keys and reports its exit status', async (t) => {
  const session = new TmuxSession(t, ['sh', '-c', 'stty size; read line; echo "got:$line:${CI-unset}"; exit 3'], { env: { ...process.env, CI: 'true' }, columns: 80, rows: 24 });
  await session.waitFor('24 80');
  session.type('hello');
  session.send('Enter');
  t.is(await session.waitForExit(), 3);
  // CI is removed from the program's environment: Ink would print nothing while it is set.
  t.regex(session.screen(), /^got:hello:unset$/m);
});
