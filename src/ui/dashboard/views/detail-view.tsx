import type { MutableRefObject } from 'react';
import { LineList, type StyledLine } from '../../components/line-list.js';
import { useLoad } from '../../hooks/use-load.js';
import { useSettingsRevision } from '../../hooks/use-settings-revision.js';
import type { DashboardService, WorkspaceDetail } from '../dashboard-service.js';
import { guestOsLabel } from '../../../core/workspace/guest-os.js';

function value(setting: WorkspaceDetail['settings'][number]): string {
  if (setting.value === null) return `(none: ${setting.problem ?? 'unknown'})`;
  return typeof setting.value === 'string' ? setting.value : JSON.stringify(setting.value);
}

/** The detail view's lines: settings with their sources, published apps, snapshots, last setup record. */
export function detailLines(detail: WorkspaceDetail): StyledLine[] {
  const { status } = detail;
  const lines: StyledLine[] = [
    { text: `${status.name} ${status.version}${status.description ? ` — ${status.description}` : ''}`, bold: true },
    { text: `state ${status.state}${status.reason ? ` (${status.reason})` : ''}; hypervisor ${status.hypervisor ?? '-'}${status.simulated ? ' (simulated)' : ''}; VM ${status.vm?.id ?? '-'}` },
    {
      text: status.guestOs
        ? `guest ${guestOsLabel(status.guestOs)} (its agent said so ${status.guestOs.seenAt.replace(/\.\d+Z$/, 'Z')})`
        : 'guest OS not known yet: its agent has not answered',
      role: status.guestOs ? undefined : 'muted',
    },
    { text: '' },
    { text: 'Settings: value, then where it comes from (default, package, user or policy:FILE)', bold: true, role: 'accent' },
  ];
  const keyWidth = Math.max(...detail.settings.map((setting) => setting.key.length));
  const valueWidth = Math.min(24, Math.max(...detail.settings.map((setting) => value(setting).length)));
  for (const setting of detail.settings) {
    lines.push({
      text: `  ${setting.key.padEnd(keyWidth)}  ${value(setting).padEnd(valueWidth)}  ${setting.source}${setting.locked ? ' (locked)' : ''}`,
      role: setting.problem ? 'error' : setting.source.startsWith('policy:') ? 'warn' : setting.source === 'default' ? 'muted' : undefined,
    });
  }
  lines.push({ text: '' }, { text: `Published apps (${detail.apps.length})`, bold: true, role: 'accent' });
  if (detail.apps.length === 0) lines.push({ text: '  none yet: first-time setup publishes them', role: 'muted' });
  for (const app of detail.apps) lines.push({ text: `  ${app.id}  ${app.name} (${app.kind}, ${app.origin})` });
  lines.push({ text: '' }, { text: 'Snapshots', bold: true, role: 'accent' });
  if ('unavailable' in detail.snapshots) lines.push({ text: `  none: ${detail.snapshots.unavailable}`, role: 'muted' });
  else if (detail.snapshots.length === 0) lines.push({ text: '  none yet: n takes one', role: 'muted' });
  else for (const snapshot of detail.snapshots) lines.push({ text: `  ${snapshot.name}${snapshot.createdAt ? `  ${snapshot.createdAt}` : ''}` });
  lines.push({ text: '' }, { text: 'Last setup', bold: true, role: 'accent' });
  const record = status.setup.record;
  if (!record) lines.push({ text: `  ${status.setup.state}: no setup has finished yet`, role: 'muted' });
  else {
    lines.push({
      text: `  status ${record.status}${record.status === 0 ? ' (ready)' : ` (failed at ${record.step ?? '?'})`} · ${record.time} · ${Math.round(record.durationMs / 100) / 10} s · ${record.user}@${record.host}`,
      role: record.status === 0 ? 'ok' : 'error',
    });
    if (record.message) lines.push({ text: `  ${record.message}`, role: 'error' });
    for (const logLine of record.log ?? []) lines.push({ text: `  | ${logLine}`, role: 'muted' });
  }
  return lines;
}

export interface DetailViewProps {
  service: DashboardService;
  name: string;
  width: number;
  height: number;
  offset: number;
  maxOffset: MutableRefObject<number>;
  /** Changes when the workspace's status does, so the view reads it again. */
  revision: string;
}

export function DetailView({ service, name, width, height, offset, maxOffset, revision }: DetailViewProps) {
  const settingsRevision = useSettingsRevision(service.onSettingsChange);
  const loaded = useLoad(() => service.detail(name), [service, name, revision, settingsRevision]);
  const lines: StyledLine[] =
    loaded.state === 'ready' ? detailLines(loaded.value) : loaded.state === 'failed' ? [{ text: loaded.error, role: 'error' }] : [{ text: `reading ${name}...`, role: 'muted' }];
  return <LineList lines={lines} width={width} height={height} offset={offset} maxOffset={maxOffset} />;
}
