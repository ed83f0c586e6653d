import test from 'ava';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { useEffect } from 'react';
import { usePoll, type Poll } from '../../../src/ui/hooks/use-poll.js';
import { ManualClock, settle } from '../../core/setup/helpers/manual-clock.js';
import { eventually } from '../../plugins/fake/helpers/fake-fixture.js';

interface Probe {
  loads: number;
  value: number;
  poll?: Poll<number>;
}

function Poller({ probe, clock, first }: { probe: Probe; clock: ManualClock; first?: Promise<number> | { value: number } }) {
  const poll = usePoll(
    async () => {
      probe.loads++;
      return probe.value;
    },
    { intervalMs: 2_000, quietIntervalMs: 5_000, quietLoads: 3 },
    clock,
    first,
  );
  useEffect(() => {
    probe.poll = poll;
  });
  return <Text>value {String(poll.value)}</Text>;
}

async function advance(clock: ManualClock, ms: number): Promise<void> {
  clock.advance(ms);
  await settle();
}

test('a poll that keeps finding the same result slows down, and a change or a refresh makes it poll often again', async (t) => {
  const clock = new ManualClock();
  const probe: Probe = { loads: 0, value: 1 };
  const view = render(<Poller probe={probe} clock={clock} />);
  t.teardown(() => view.unmount());
  await settle();
  t.is(probe.loads, 1);
  t.is(view.lastFrame(), 'value 1');
  // Three loads in a row bring nothing new: the next waits the quiet interval.
  for (const expected of [2, 3, 4]) {
    await advance(clock, 2_000);
    t.is(probe.loads, expected);
  }
  await advance(clock, 2_000);
  t.is(probe.loads, 4, 'no load 2 s later once quiet');
  await advance(clock, 3_000);
  t.is(probe.loads, 5, 'the quiet interval is 5 s');

  // A change shows at the next load and brings the short interval back.
  probe.value = 2;
  await advance(clock, 5_000);
  t.is(probe.loads, 6);
  t.is(view.lastFrame(), 'value 2');
  await advance(clock, 2_000);
  t.is(probe.loads, 7);

  // Quiet again after three unchanged loads (7, 8, 9), then a refresh (every action asks for
  // one) loads at once and polls often again.
  for (let i = 0; i < 2; i++) await advance(clock, 2_000);
  t.is(probe.loads, 9);
  await advance(clock, 2_000);
  t.is(probe.loads, 9);
  probe.poll!.refresh();
  await settle();
  t.is(probe.loads, 10);
  await advance(clock, 2_000);
  t.is(probe.loads, 11);
});

test('a first result already there is in the first frame, and the next load comes an interval later', async (t) => {
  const clock = new ManualClock();
  const probe: Probe = { loads: 0, value: 1 };
  const first = { value: 7 };
  const view = render(<Poller probe={probe} clock={clock} first={first} />);
  t.teardown(() => view.unmount());
  t.deepEqual(view.frames, ['value 7']);
  await settle();
  t.is(probe.loads, 0);
  await advance(clock, 2_000);
  t.true(await eventually(() => view.lastFrame() === 'value 1'), view.lastFrame());
  t.is(probe.loads, 1);
});

test('a first load under way is used for the first result instead of loading again', async (t) => {
  const clock = new ManualClock();
  const probe: Probe = { loads: 0, value: 1 };
  let finish: (value: number) => void = () => undefined;
  const first = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const view = render(<Poller probe={probe} clock={clock} first={first} />);
  t.teardown(() => view.unmount());
  t.is(view.lastFrame(), 'value undefined');
  finish(5);
  t.true(await eventually(() => view.lastFrame() === 'value 5'), view.lastFrame());
  t.is(probe.loads, 0);
  await advance(clock, 2_000);
  t.true(await eventually(() => view.lastFrame() === 'value 1'), view.lastFrame());
  t.is(probe.loads, 1);
});
