import type { MutableRefObject } from 'react';
import type { DoctorReport } from '../../../core/doctor/doctor.js';
import { LineList, type StyledLine } from '../../components/line-list.js';
import { useLoad } from '../../hooks/use-load.js';
import type { Symbols } from '../../terminal/symbols.js';
import { useTheme } from '../../terminal/theme.js';
import type { DashboardService } from '../dashboard-service.js';

/** As `twinbox doctor`: each check with its status, and the fix for what is missing. */
export function doctorLines(report: DoctorReport, symbols: Symbols): StyledLine[] {
  const checkWidth = Math.max(...report.checks.map((check) => check.check.length));
  const lines: StyledLine[] = report.checks.flatMap((check): StyledLine[] => {
    const mark = check.status === 'ok' ? symbols.ok : check.status === 'warning' ? symbols.warning : symbols.fail;
    const role = check.status === 'ok' ? 'ok' : check.status === 'warning' ? 'warn' : 'error';
    // Details and fixes are wrapped under their own column, not cut: the fix is the point.
    const indent = checkWidth + 4;
    return [
      { text: `${mark} ${check.check.padEnd(checkWidth)}  ${check.detail}`, role, wrapIndent: indent },
      ...(check.fix ? [{ text: `  ${' '.repeat(checkWidth)}  fix: ${check.fix}`, role: 'muted' as const, wrapIndent: indent + 5 }] : []),
    ];
  });
  lines.push(
    { text: '' },
    report.realHypervisors.length > 0
      ? { text: `ready: ${report.realHypervisors.join(', ')} can run real guests`, role: 'ok' }
      : { text: 'no real hypervisor is usable here: twinbox falls back to the fake (simulated) hypervisor', role: 'warn' },
  );
  return lines;
}

export function DoctorView({ service, width, height, offset, maxOffset }: { service: DashboardService; width: number; height: number; offset: number; maxOffset: MutableRefObject<number> }) {
  const theme = useTheme();
  const loaded = useLoad(() => service.doctor(), [service]);
  const lines: StyledLine[] =
    loaded.state === 'ready' ? doctorLines(loaded.value, theme.symbols) : loaded.state === 'failed' ? [{ text: loaded.error, role: 'error' }] : [{ text: 'checking this machine...', role: 'muted' }];
  return <LineList lines={lines} width={width} height={height} offset={offset} maxOffset={maxOffset} />;
}
