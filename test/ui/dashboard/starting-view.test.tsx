import test from 'ava';
import { render } from 'ink-testing-library';
import { useEffect } from 'react';
import { StartingView } from '../../../src/ui/dashboard/views/starting-view.js';

function Probe({ onUnmount }: { onUnmount: () => void }) {
  useEffect(() => onUnmount, [onUnmount]);
  return null;
}

test('the first frame names the dashboard while the workspaces are read, and q already leaves', async (t) => {
  let drawn = false;
  let left = false;
  const app = render(
    <>
      <Probe onUnmount={() => (left = true)} />
      <StartingView onFirstFrame={() => (drawn = true)} />
    </>,
  );
  t.teardown(() => app.unmount());
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.regex(app.lastFrame() ?? '', /twinbox dashboard\nreading the workspaces\.\.\./);
  t.true(drawn);
  app.stdin.write('q');
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.true(left);
});
