import type { MutableRefObject } from 'react';
import type { PluginReport } from '../../../core/plugins/plugin-registry.js';
import { LineList, type StyledLine } from '../../components/line-list.js';
import { useLoad } from '../../hooks/use-load.js';
import type { ColorRole } from '../../terminal/theme.js';
import type { DashboardService } from '../dashboard-service.js';

const STATUS_ROLE: Record<PluginReport['status'], ColorRole> = { loaded: 'ok', unavailable: 'warn', broken: 'error', denied: 'error' };

/** As `twinbox plugins`: each plugin's kind, version, status and reason. */
export function pluginLines(reports: readonly PluginReport[]): StyledLine[] {
  const nameWidth = Math.max(4, ...reports.map((report) => report.name.length));
  return [
    { text: `${'NAME'.padEnd(nameWidth)}  ${'KIND'.padEnd(11)}  ${'VERSION'.padEnd(8)}  STATUS`, bold: true },
    ...reports.flatMap((report): StyledLine[] => [
      {
        text: `${report.name.padEnd(nameWidth)}  ${report.kind.padEnd(11)}  ${report.version.padEnd(8)}  ${report.status}${report.simulated ? ' (simulated)' : ''}`,
        role: STATUS_ROLE[report.status],
      },
      { text: `${' '.repeat(nameWidth + 2)}${report.reason}`, role: 'muted' },
    ]),
  ];
}

export function PluginsView({ service, width, height, offset, maxOffset }: { service: DashboardService; width: number; height: number; offset: number; maxOffset: MutableRefObject<number> }) {
  const loaded = useLoad(() => service.plugins(true), [service]);
  const lines: StyledLine[] =
    loaded.state === 'ready' ? pluginLines(loaded.value) : loaded.state === 'failed' ? [{ text: loaded.error, role: 'error' }] : [{ text: 'loading and detecting the plugins...', role: 'muted' }];
  return <LineList lines={lines} width={width} height={height} offset={offset} maxOffset={maxOffset} />;
}
