import { Box, Text } from 'ink';
import type { PluginReport } from '../../../core/plugins/plugin-registry.js';
import { cell } from '../../components/fit-text.js';
import { stateRole, useTheme } from '../../terminal/theme.js';
import { agentCell, busyHolder, cpuCell, hypervisorCell, memoryCell, setupCell, stateCell, hostCell, rowKey, type LocalAction, type WorkspaceRow } from '../workspace-row.js';

interface Column {
  header: string;
  width: number;
  align?: 'right';
  value(row: WorkspaceRow, local: LocalAction | undefined, reports: readonly PluginReport[] | undefined): string;
}

const FIXED: Column[] = [
  { header: 'HYPERVISOR', width: 18, value: (row, _local, reports) => hypervisorCell(row.status, reports) },
  { header: 'STATE', width: 14, value: (row, local) => stateCell(row.status, local) },
  { header: 'AGENT', width: 10, value: (row) => agentCell(row) },
  { header: 'APPS', width: 4, align: 'right', value: (row) => String(row.status.apps) },
  { header: 'SETUP', width: 11, value: (row) => setupCell(row.status) },
];
const RESOURCES: Column[] = [
  { header: 'CPU', width: 4, align: 'right', value: (row) => cpuCell(row.status) },
  { header: 'MEM', width: 6, align: 'right', value: (row) => memoryCell(row.status) },
];
const NAME_MIN = 10;
/** The least a wide terminal's name column takes, whatever the names: about what it has at 80 columns. */
const NAME_FIT = 24;
const POINTER = 2;

/** Columns a narrow terminal drops first (the detail pane under the list shows them). */
const DROPPED_FIRST = ['SETUP', 'APPS', 'HYPERVISOR'];

/** The columns that fit: CPU and memory join when there is room; on a narrow terminal setup, apps and hypervisor go, so no row is wider than the screen. */
function layout(width: number, hostWidth: number, longestName: number): { name: number; columns: Column[] } {
  const widthOf = (columns: Column[]) => columns.reduce((sum, column) => sum + column.width + 1, hostWidth);
  const withResources = [...FIXED, ...RESOURCES];
  let columns = width - POINTER - widthOf(withResources) >= 16 ? withResources : FIXED;
  for (const header of DROPPED_FIRST) {
    if (POINTER + NAME_MIN + widthOf(columns) <= width) break;
    columns = columns.filter((column) => column.header !== header);
  }
  // The name takes the room left; once every column is shown (a wide terminal), only up to what
  // the longest name needs, so the columns stay by the names instead of drifting to the right.
  const room = width - POINTER - widthOf(columns);
  const everyColumn = columns.length === FIXED.length + RESOURCES.length;
  return { name: Math.max(NAME_MIN, everyColumn ? Math.min(room, Math.max(NAME_FIT, longestName + 2)) : room), columns };
}

export interface WorkspaceListProps {
  rows: readonly WorkspaceRow[];
  selected?: string;
  local: ReadonlyMap<string, LocalAction>;
  reports?: readonly PluginReport[];
  width: number;
  height: number;
  /** A HOST column first (`local` for this machine): the dashboard shows fleet hosts. */
  hostColumn?: boolean;
}

/** The workspace table: one line a workspace, the selected one marked with the pointer (and inverse where styles work). */
export function WorkspaceList({ rows, selected, local, reports, width, height, hostColumn }: WorkspaceListProps) {
  const theme = useTheme();
  const { symbols } = theme;
  const hostWidth = hostColumn ? Math.min(12, Math.max(5, ...rows.map((row) => hostCell(row).length))) : 0;
  const { name: nameWidth, columns } = layout(width, hostColumn ? hostWidth + 1 : 0, Math.max(0, ...rows.map((row) => row.status.name.length)));
  const hostText = (text: string) => (hostColumn ? `${cell(text, hostWidth, symbols)} ` : '');
  const bodyHeight = Math.max(1, height - 1);
  const index = Math.max(0, rows.findIndex((row) => rowKey(row) === selected));
  const first = Math.min(Math.max(0, index - bodyHeight + 1), Math.max(0, rows.length - bodyHeight));
  const shown = rows.slice(first, first + bodyHeight);
  const header = `${' '.repeat(POINTER)}${hostText('HOST')}${cell('NAME', nameWidth, symbols)} ${columns.map((column) => cell(column.header, column.width, symbols, column.align)).join(' ')}`;
  return (
    <Box flexDirection="column" height={height}>
      <Text bold={theme.capabilities.styles} color={theme.color('muted')}>
        {cell(header, width, symbols)}
      </Text>
      {shown.map((row) => {
        const key = rowKey(row);
        const isSelected = key === selected;
        const action = local.get(key);
        const role = action || busyHolder(row.status) ? 'warn' : stateRole(row.status.state);
        const pointer = isSelected ? `${theme.symbols.pointer} `.slice(0, POINTER).padEnd(POINTER) : ' '.repeat(POINTER);
        return (
          <Text key={key} inverse={isSelected && theme.capabilities.styles}>
            {pointer}
            {hostText(hostCell(row))}
            {cell(row.status.name, nameWidth, symbols)}
            {columns.map((column) => {
              const text = ` ${cell(column.value(row, action, reports), column.width, symbols, column.align)}`;
              if (column.header === 'STATE') return <Text key={column.header} color={theme.color(role)}>{text}</Text>;
              if (column.header === 'HYPERVISOR' && row.status.simulated) return <Text key={column.header} color={theme.color('simulated')}>{text}</Text>;
              if (column.header === 'AGENT' && row.health && !row.health.ok) return <Text key={column.header} color={theme.color('error')}>{text}</Text>;
              return <Text key={column.header}>{text}</Text>;
            })}
          </Text>
        );
      })}
    </Box>
  );
}
