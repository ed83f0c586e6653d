import { Tokens, type Clock } from '../plugin-api/index.js';
import type { EventRecord } from '../core/events/event-log.js';
import { openCore } from '../core/open-core.js';
import { followEvents, lastEvents } from '../core/workspace/event-tail.js';
import { openWorkspace } from '../core/workspace/open-workspace.js';
import type { CommandContext } from './command-context.js';
import { lifecycleTarget } from './lifecycle-args.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

const DEFAULT_LINES = 50;

function plain(record: EventRecord): string {
  const code = record.code === undefined ? '    ' : String(record.code);
  return `${record.time}  ${record.level.toUpperCase().padEnd(5)}  ${code}  ${record.category.padEnd(10)}  ${record.message}\n`;
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, follow: { type: 'boolean', short: 'f' }, lines: { type: 'string', short: 'n' } },
  });
  const name = lifecycleTarget(positionals);
  // Following ends with Ctrl-C, which is the normal way out: exit 0. The handlers go in before
  // anything loads and stay for the life of the process: a dependency (conf's exit hook)
  // re-raises the signal once, which must not kill us halfway.
  const stop = new AbortController();
  if (values.follow) {
    const onSignal = () => stop.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const lines = values.lines === undefined ? DEFAULT_LINES : Number(values.lines);
  if (!Number.isInteger(lines) || lines < 0) throw new UsageError('--lines takes a whole number');
  const core = openCore({ env: context.env });
  const ws = openWorkspace(core, name);
  const print = (record: EventRecord) => context.stdout.write(values.json ? `${JSON.stringify(record)}\n` : plain(record));
  const { records, offset } = await lastEvents(ws.layout.eventsFile, lines);
  records.forEach(print);
  if (!values.follow) return 0;
  await followEvents(ws.layout.eventsFile, offset, print, stop.signal, core.container.resolve<Clock>(Tokens.Clock));
  return 0;
}
