import { Box, Text } from 'ink';
import type { EventRecord } from '../../../core/events/event-log.js';
import { wrapText } from '../../components/fit-text.js';
import { useLoad } from '../../hooks/use-load.js';
import { useTheme, type ColorRole } from '../../terminal/theme.js';
import type { DashboardService } from '../dashboard-service.js';
import { sparkline } from '../../components/sparkline.js';
import type { Symbols } from '../../terminal/symbols.js';
import { METRICS_HISTORY, useVmMetrics, type MetricsHistory } from '../use-vm-metrics.js';
import { agentCell, type WorkspaceRow } from '../workspace-row.js';

/** The fewest rows worth a pane: a rule and two lines. */
export const PANE_MIN_ROWS = 3;

interface PaneLine {
  text: string;
  role?: ColorRole;
  bold?: boolean;
}

function eventTime(record: EventRecord): string {
  const time = /T(\d\d:\d\d:\d\d)/.exec(record.time)?.[1];
  return time ?? record.time;
}

/**
 * `cpu ▁▂▅▃ 12.5%  mem ▅▅▆▆ 142 MiB`: the last minute of the VM's CPU (of the host's whole CPU,
 * on a fixed 0–100 % scale) and memory (its own scale), each meter as wide as the pane allows;
 * none when the plugin reported neither.
 */
export function resourceLine(history: MetricsHistory, width: number, symbols: Pick<Symbols, 'levels'>): string | undefined {
  const last = (values: ReadonlyArray<number | undefined>) => [...values].reverse().find((value) => value !== undefined);
  const cpu = last(history.cpu);
  const memory = last(history.memoryBytes);
  if (cpu === undefined && memory === undefined) return undefined;
  const meter = Math.max(4, Math.min(METRICS_HISTORY, Math.floor((width - 34) / 2)));
  const cpuText = cpu === undefined ? '-' : `${cpu.toFixed(1)}%`;
  const memoryText = memory === undefined ? '-' : `${Math.round(memory / 2 ** 20)} MiB`;
  return `cpu ${sparkline(history.cpu, meter, symbols, 100)} ${cpuText.padEnd(6)} mem ${sparkline(history.memoryBytes, meter, symbols)} ${memoryText}`;
}

/** The pane's lines before wrapping: state with its whole reason, the agent, resources, apps, last events. */
export function paneLines(row: WorkspaceRow, apps: readonly string[] | undefined, events: readonly EventRecord[] | undefined, resources?: string): PaneLine[] {
  const { status } = row;
  const lines: PaneLine[] = [{ text: `state: ${status.state}${status.reason ? ` — ${status.reason}` : ''}` }];
  if (row.host !== undefined) {
    // A fleet host's workspace: its status came over the host's stream; the rest is read there.
    lines.push({ text: `host: ${row.host} · hypervisor: ${status.hypervisor ?? '-'}${status.simulated ? ' (simulated)' : ''} · setup: ${status.setup.state}` });
    lines.push({ text: `apps: ${status.apps} published`, role: 'muted' });
    return lines;
  }
  const agent =
    status.state !== 'running' ? 'not asked: the VM is not running' : !row.health ? 'asking...' : row.health.ok ? `answers, round trip ${agentCell(row).replace(/^ok /, '')}` : `no answer: ${row.health.reason}`;
  lines.push({ text: `guest agent: ${agent}`, role: row.health && !row.health.ok ? 'error' : undefined });
  if (resources !== undefined && status.state === 'running') lines.push({ text: resources });
  lines.push({ text: `apps (${status.apps}): ${apps === undefined ? '...' : apps.length === 0 ? 'none published yet' : apps.join(', ')}` });
  if (events && events.length > 0) {
    lines.push({ text: 'last events:', role: 'muted' });
    for (const record of events) lines.push({ text: `  ${eventTime(record)} ${record.message}`, role: record.level === 'error' ? 'error' : record.level === 'warn' ? 'warn' : 'muted' });
  }
  return lines;
}

export interface DetailPaneProps {
  service: DashboardService;
  row: WorkspaceRow;
  width: number;
  height: number;
}

/**
 * Under the list, in the rows it leaves, the selected workspace as a person wants it at a
 * glance (as k9s and htop use their screens): long texts wrapped, never cut; the newest events
 * are the ones that make way when rows run out.
 */
export function DetailPane({ service, row, width, height }: DetailPaneProps) {
  const theme = useTheme();
  const { name } = row.status;
  const revision = JSON.stringify(row.status);
  const remote = row.host !== undefined;
  const loaded = useLoad(async () => (remote ? { apps: [], events: [] } : service.pane(name, Math.max(1, height))), [service, name, revision, height, remote]);
  const data = loaded.state === 'ready' ? loaded.value : undefined;
  const dash = theme.symbols.ascii ? '-' : '─';
  const rule = `${dash} ${remote ? `${row.host}/` : ''}${name} `;
  const history = useVmMetrics(service, remote ? undefined : name, row.status.state === 'running');
  const wrapped = paneLines(row, data?.apps, data?.events, resourceLine(history, width, theme.symbols)).flatMap((line) => wrapText(line.text, width, theme.symbols, 2).map((text) => ({ ...line, text })));
  // Short of rows, the oldest of the last events make way first.
  const room = Math.max(0, height - 1);
  const split = wrapped.findIndex((line) => line.text === 'last events:') + 1;
  let shown = wrapped;
  if (wrapped.length > room) {
    const head = (split > 0 ? wrapped.slice(0, split) : wrapped).slice(0, room);
    const left = room - head.length;
    shown = split > 0 && left > 0 ? [...head, ...wrapped.slice(split).slice(-left)] : head;
  }
  return (
    <Box flexDirection="column" height={height}>
      <Text color={theme.color('muted')}>{(rule + dash.repeat(Math.max(0, width - rule.length))).slice(0, width)}</Text>
      {shown.map((line, index) => (
        <Text key={index} color={line.role ? theme.color(line.role) : undefined}>
          {line.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
