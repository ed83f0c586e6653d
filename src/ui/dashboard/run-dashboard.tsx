import { renderApp } from '../terminal/render-app.js';
import { DashboardApp, type DashboardOptions } from './dashboard-app.js';
import type { DashboardService } from './dashboard-service.js';
import type { WorkspaceRow } from './workspace-row.js';

/**
 * Opens the dashboard full screen on this terminal and resolves when it closes. Set
 * TWINBOX_DASHBOARD_EXIT_AFTER_FIRST_LIST=1 to close it as soon as the first frame with the
 * workspace list is drawn: the first-frame benchmark times that; it changes nothing else.
 */
export async function runDashboard(service: DashboardService, firstRows: Promise<WorkspaceRow[]>, timing: Pick<DashboardOptions, 'pollMs' | 'pingTimeoutMs'>, env: NodeJS.ProcessEnv): Promise<number> {
  const exitAfterFirstList = env.TWINBOX_DASHBOARD_EXIT_AFTER_FIRST_LIST === '1';
  let app: ReturnType<typeof renderApp> | undefined;
  const options: DashboardOptions = {
    ...timing,
    firstRows,
    onFirstList: exitAfterFirstList ? () => app?.instance.unmount() : undefined,
  };
  app = renderApp(() => <DashboardApp service={service} options={options} />, { env, alternateScreen: true });
  await app.done;
  return 0;
}
