import { useInput, type Key } from 'ink';
import { useCallback, useRef } from 'react';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import type { DashboardService } from './dashboard-service.js';
import { useDashboard, type DashboardOptions } from './use-dashboard.js';
import { DashboardScreen } from './views/dashboard-screen.js';

export type { DashboardOptions } from './use-dashboard.js';

/** The admin dashboard: the workspace list with live status, single-key actions and the views behind them. */
export function DashboardApp({ service, options }: { service: DashboardService; options: DashboardOptions }) {
  const { columns, rows } = useTerminalSize();
  const width = Math.max(20, columns);
  const height = Math.max(8, rows);
  const dashboard = useDashboard(service, options, height);
  // Ink re-subscribes a new handler only after the frame is drawn; a key pressed in between must
  // reach this render's handler, not the one of the frame before (which may not know the rows yet).
  const latestOnKey = useRef(dashboard.onKey);
  latestOnKey.current = dashboard.onKey;
  useInput(useCallback((input: string, key: Key) => latestOnKey.current(input, key), []));
  return <DashboardScreen dashboard={dashboard} service={service} readOnly={options.readOnly} width={width} height={height} />;
}
