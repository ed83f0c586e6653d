import test from 'ava';
import { EventCodes } from '../../../src/core/events/codes.js';
import { twinbox } from '../../helpers/cli.js';
import { policyWorld } from '../policy/policy-fixtures.js';

test('a maintenance schedule that does not parse: policy reports it and keeps the last good one', async (t) => {
  const world = policyWorld(t);
  const file = world.write('policy.d/30-maint.json', { 'maintenance.schedule': 'Sun 03:00', 'maintenance.commands': ['apt-get -y upgrade'] });
  t.is(world.open().settings.get('maintenance.schedule'), 'Sun 03:00');

  world.write('policy.d/30-maint.json', { 'maintenance.schedule': 'Sun 25:00', 'maintenance.commands': ['apt-get -y upgrade'] });
  const { settings } = world.open();
  t.is(settings.get('maintenance.schedule'), 'Sun 03:00');
  const described = settings.describe('maintenance.schedule');
  t.like(described, { source: `policy:${file}`, locked: true });
  t.regex(described.lastGood!.problem, /maintenance\.schedule expects .*not "Sun 25:00" \(hour 25 is out of range \(0–23\)\)/);
  t.true(world.events().some((event) => event.code === EventCodes.policyMalformed));

  const shown = await twinbox(['policy'], world.env);
  t.regex(shown.stdout + shown.stderr, /hour 25 is out of range/);
  t.regex(shown.stdout, /Sun 03:00/);
});
