import { Box, Text } from 'ink';
import { useEffect, useState, type MutableRefObject } from 'react';
import type { EventRecord } from '../../../core/events/event-log.js';
import { fitText } from '../../components/fit-text.js';
import { LineList, type StyledLine } from '../../components/line-list.js';
import { useTheme, type ColorRole } from '../../terminal/theme.js';
import type { DashboardService } from '../dashboard-service.js';

/** Events kept on screen; `twinbox logs` reads further back. */
const KEPT = 500;
const LEVEL_ROLE: Record<EventRecord['level'], ColorRole | undefined> = { error: 'error', warn: 'warn', info: undefined, debug: 'muted' };

/** One event as `twinbox logs` prints it, with the time of day only. */
export function eventLine(record: EventRecord): StyledLine {
  const time = record.time.slice(11, 19);
  const code = record.code === undefined ? '    ' : String(record.code);
  return { text: `${time} ${record.level.toUpperCase().padEnd(5)} ${code} ${record.category.padEnd(9)} ${record.message}`, role: LEVEL_ROLE[record.level] };
}

export interface LogsViewProps {
  service: DashboardService;
  name: string;
  follow: boolean;
  width: number;
  height: number;
  offset: number;
  maxOffset: MutableRefObject<number>;
}

/** The workspace's event log; while following, new events appear at the bottom as they are written. */
export function LogsView({ service, name, follow, width, height, offset, maxOffset }: LogsViewProps) {
  const theme = useTheme();
  const [records, setRecords] = useState<EventRecord[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    const stop = new AbortController();
    setRecords([]);
    service
      .tailEvents(name, KEPT, (added) => setRecords((previous) => [...previous, ...added].slice(-KEPT)), stop.signal)
      .catch((failure: unknown) => !stop.signal.aborted && setError((failure as Error).message));
    return () => stop.abort();
  }, [service, name]);
  const lines = records.length > 0 ? records.map(eventLine) : [{ text: `no events in the log of ${name} yet`, role: 'muted' as const }];
  const bodyHeight = Math.max(1, height - 1);
  return (
    <Box flexDirection="column" height={height}>
      <Text color={theme.color(error ? 'error' : 'muted')}>{fitText(error ?? (follow ? `following the event log of ${name} (f pauses)` : 'paused (f follows again)'), width, theme.symbols)}</Text>
      <LineList lines={lines} width={width} height={bodyHeight} offset={follow ? Number.MAX_SAFE_INTEGER : offset} maxOffset={maxOffset} />
    </Box>
  );
}
