import { Box, Text } from 'ink';
import { ConfirmDialog, confirmDialogHeight } from '../../components/confirm-dialog.js';
import { fitText } from '../../components/fit-text.js';
import { KeyHints, type KeyHint } from '../../components/key-hints.js';
import { useTheme, type Theme } from '../../terminal/theme.js';
import type { DashboardService } from '../dashboard-service.js';
import type { Message } from '../dashboard-state.js';
import { KEY_TABLE, keyLabel, offWhenReadOnly } from '../key-table.js';
import type { Dashboard } from '../use-dashboard.js';
import { rowKey, summaryLine } from '../workspace-row.js';
import { HostPanel, hostPanelLines } from './host-panel.js';
import { DetailPane, PANE_MIN_ROWS } from './detail-pane.js';
import { DetailView } from './detail-view.js';
import { DoctorView } from './doctor-view.js';
import { HelpView } from './help-view.js';
import { LogsView } from './logs-view.js';
import { PluginsView } from './plugins-view.js';
import { SetupView } from './setup-view.js';
import { WorkspaceList } from './workspace-list.js';

export interface DashboardScreenProps {
  dashboard: Dashboard;
  service: DashboardService;
  readOnly?: boolean;
  width: number;
  height: number;
}

/** The footer's keys where the screen is: the list's, or the views'; without the actions when read-only. */
function footerHints(scope: 'list' | 'views', readOnly: boolean | undefined, theme: Theme): KeyHint[] {
  const arrows = { up: theme.symbols.arrowUp, down: theme.symbols.arrowDown };
  return KEY_TABLE.filter((binding) => binding.footer && (binding.scope === scope || binding.scope === 'everywhere') && !(readOnly && offWhenReadOnly(binding))).map((binding) => ({
    key: keyLabel(binding.keys[0]!, arrows),
    label: binding.footer!,
  }));
}

function titleLine({ state, rows, hosts }: Dashboard, readOnly: boolean | undefined, local: boolean): string {
  const { view, filter, filtering } = state;
  const count = rows?.length ?? 0;
  const hostCount = hosts === undefined ? 0 : hosts.length + (local ? 1 : 0);
  return [
    readOnly ? 'twinbox dashboard (read-only)' : 'twinbox dashboard',
    `${count} workspace${count === 1 ? '' : 's'}`,
    hosts === undefined ? undefined : `${hostCount} host${hostCount === 1 ? '' : 's'}`,
    filter || filtering ? `filter: ${filter}${filtering ? '_' : ''}` : undefined,
    view.kind === 'list' ? undefined : 'name' in view ? `${view.kind}: ${view.name}` : view.kind,
  ]
    .filter(Boolean)
    .join(' · ');
}

function messageLine(message: Message | undefined, theme: Theme): { text: string; role: 'error' | 'warn' | 'muted' } {
  const role = message?.level === 'error' ? 'error' : message?.level === 'busy' ? 'warn' : 'muted';
  if (!message) return { text: '', role };
  const mark = message.level === 'error' ? `${theme.symbols.fail} ` : message.level === 'busy' ? `${theme.symbols.warning} ` : '';
  return { text: `${mark}${message.text}${message.hint ? ` · hint: ${message.hint}` : ''}`, role };
}

/** The body between the title and the status lines: the list with the selected workspace's pane, or the open view. */
function DashboardBody({ dashboard, service, readOnly, width, height }: DashboardScreenProps) {
  const theme = useTheme();
  const { state, rows, maxScroll } = dashboard;
  const { view, scroll } = state;
  switch (view.kind) {
    case 'help':
      return <HelpView readOnly={readOnly} width={width} height={height} offset={scroll} maxOffset={maxScroll} />;
    case 'details':
      return <DetailView service={service} name={view.name} width={width} height={height} offset={scroll} maxOffset={maxScroll} revision={JSON.stringify(rows?.find((row) => row.status.name === view.name)?.status ?? null)} />;
    case 'logs':
      return <LogsView service={service} name={view.name} follow={state.follow} width={width} height={height} offset={scroll} maxOffset={maxScroll} />;
    case 'plugins':
      return <PluginsView service={service} width={width} height={height} offset={scroll} maxOffset={maxScroll} />;
    case 'doctor':
      return <DoctorView service={service} width={width} height={height} offset={scroll} maxOffset={maxScroll} />;
    case 'setup': {
      const progress = state.setups.get(view.name);
      if (!progress) return <Text color={theme.color('muted')}>{fitText(`waiting for the setup of ${view.name} to start...`, width, theme.symbols)}</Text>;
      return <SetupView progress={progress} answer={state.answer} clock={service.clock} width={width} height={height} />;
    }
    case 'list': {
      if (dashboard.hosts) return <FleetList {...{ dashboard, service, width, height }} />;
      return <ListBody {...{ dashboard, service, width, height }} empty="no workspaces are installed: `twinbox install PACKAGE` installs one, `twinbox demo` sets up a demo" />;
    }
  }
}

type ListProps = Pick<DashboardScreenProps, 'dashboard' | 'service' | 'width' | 'height'>;

/** The workspace list with the selected workspace's pane under it, or why there is no list; `hostColumn` when fleet hosts are shown. */
function ListBody({ dashboard, service, width, height, empty, hostColumn }: ListProps & { empty: string; hostColumn?: boolean }) {
  const theme = useTheme();
  const { state, rows, shownRows, current, pluginReports } = dashboard;
  if (!rows) return <Text color={theme.color('muted')}>reading the workspaces...</Text>;
  if (rows.length === 0) return <Text>{fitText(empty, width, theme.symbols)}</Text>;
  if (shownRows.length === 0) return <Text>{fitText(`no workspace matches "${state.filter}" (Esc clears the filter)`, width, theme.symbols)}</Text>;
  // The list takes the rows it needs; the rows it leaves show the selected workspace.
  const listHeight = Math.min(height, shownRows.length + 1);
  const paneHeight = height - listHeight - 1;
  const list = <WorkspaceList rows={shownRows} selected={current ? rowKey(current) : undefined} local={state.local} reports={pluginReports} width={width} height={listHeight} hostColumn={hostColumn} />;
  if (!current || paneHeight < PANE_MIN_ROWS) return list;
  return (
    <>
      {list}
      <Text> </Text>
      <DetailPane service={service} row={current} width={width} height={paneHeight} />
    </>
  );
}

/**
 * The list of a dashboard with fleet hosts: the hosts' health first (at most half the body:
 * failing hosts' reasons and fixes are wrapped less to fit), then every host's workspaces with a host
 * column, then the selected workspace's pane in what is left.
 */
function FleetList({ dashboard, service, width, height }: ListProps) {
  const theme = useTheme();
  const { rows } = dashboard;
  const localCount = service.local ? (rows ?? []).filter((row) => row.host === undefined).length : undefined;
  const panel = hostPanelLines(dashboard.hosts ?? [], rows === undefined ? undefined : localCount, width, theme.symbols, Math.max(1, Math.floor(height / 2)));
  return (
    <>
      <HostPanel lines={panel} />
      <Text> </Text>
      <ListBody {...{ dashboard, service, width }} height={Math.max(1, height - panel.length - 1)} empty="no workspaces on these hosts yet" hostColumn />
    </>
  );
}

/** The whole dashboard screen: title, body, the question asked if any, the selected workspace's summary, the message line, the keys. */
export function DashboardScreen(props: DashboardScreenProps) {
  const theme = useTheme();
  const { dashboard, readOnly, width, height } = props;
  const { state, current, pluginReports, rowsError } = dashboard;
  const { confirm } = state;
  const bodyHeight = Math.max(1, height - 4 - (confirm ? confirmDialogHeight(confirm.question, width) : 0));
  const summary = current ? summaryLine(current, pluginReports, state.local.get(rowKey(current))) : rowsError ? `cannot read the workspaces: ${rowsError}` : '';
  const message = messageLine(state.message, theme);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold={theme.capabilities.styles} color={theme.color('accent')}>
        {fitText(titleLine(dashboard, readOnly, props.service.local), width, theme.symbols)}
      </Text>
      <Box height={bodyHeight} flexDirection="column">
        <DashboardBody {...props} height={bodyHeight} />
      </Box>
      {confirm ? <ConfirmDialog question={confirm.question} width={width} /> : null}
      <Text color={theme.color(rowsError ? 'error' : 'muted')}>{fitText(summary, width, theme.symbols) || ' '}</Text>
      <Text color={theme.color(message.role)}>{fitText(message.text, width, theme.symbols) || ' '}</Text>
      <KeyHints hints={footerHints(state.view.kind === 'list' ? 'list' : 'views', readOnly, theme)} width={width} />
    </Box>
  );
}
