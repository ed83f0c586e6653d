import { withTimeout } from '../../core/with-timeout.js';
import { renderApp } from '../terminal/render-app.js';
import { DashboardApp, type DashboardOptions } from './dashboard-app.js';
import type { DashboardService } from './dashboard-service.js';
import { StartingView } from './views/starting-view.js';
import type { WorkspaceRow } from './workspace-row.js';

/** The core's services, opened once the first frame is on screen. */
export interface OpenedDashboard {
  service: DashboardService;
  /** The first read of the rows, already under way. */
  firstRows: Promise<WorkspaceRow[]>;
}

/** Below this the list and its keys do not fit: the dashboard says so instead. */
export const DASHBOARD_MIN_SIZE = { columns: 50, rows: 12, what: 'twinbox dashboard' };

/** How long the starting screen waits for the first rows before the dashboard mounts without them. */
const FIRST_ROWS_WAIT_MS = 250;

/**
 * Opens the dashboard full screen on this terminal and resolves when it closes, saying whether
 * the user left actions of the dashboard running (they quit anyway). The first frame
 * is drawn before `open` opens twinbox's core, so the screen answers at once. For the first-frame
 * benchmark, TWINBOX_DASHBOARD_EXIT_AFTER=first-frame closes it as soon as that frame is drawn,
 * and =first-list once the frame with the workspace list is; nothing else changes.
 */
export async function runDashboard(open: () => Promise<OpenedDashboard>, timing: Pick<DashboardOptions, 'pollMs' | 'quietPollMs' | 'pingTimeoutMs' | 'readOnly'>, env: NodeJS.ProcessEnv): Promise<{ abandoned: boolean }> {
  const exitAfter = env.TWINBOX_DASHBOARD_EXIT_AFTER;
  let closed = false;
  let abandoned = false;
  const app = renderApp(() => <StartingView onFirstFrame={exitAfter === 'first-frame' ? () => app.instance.unmount() : undefined} />, { env, alternateScreen: true, minSize: DASHBOARD_MIN_SIZE });
  void app.done.finally(() => {
    closed = true;
  });
  // Let Ink write the first frame before opening the core takes the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  if (!closed) {
    let opened: OpenedDashboard;
    try {
      opened = await open();
    } catch (error) {
      app.instance.unmount();
      throw error;
    }
    // Rows read in a moment go into the dashboard's first frame: one frame (and one React
    // commit of the whole tree) fewer than mounting it empty and drawing the rows after.
    const read = await withTimeout(opened.firstRows, FIRST_ROWS_WAIT_MS, 'the first rows are still being read').then(
      (rows) => ({ value: rows }),
      () => undefined,
    );
    const options: DashboardOptions = {
      ...timing,
      firstRows: read ?? opened.firstRows,
      onFirstList: exitAfter === 'first-list' ? () => app.instance.unmount() : undefined,
      onAbandon: () => {
        abandoned = true;
      },
    };
    if (!closed) app.replace(<DashboardApp service={opened.service} options={options} />);
  }
  await app.done;
  return { abandoned };
}
