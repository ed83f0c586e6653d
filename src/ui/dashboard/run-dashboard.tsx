import type { Core } from '../../core/open-core.js';
import { renderApp } from '../terminal/render-app.js';
import { DashboardApp, type DashboardOptions } from './dashboard-app.js';
import { DashboardService } from './dashboard-service.js';

/** How often the list is read again: fresh enough to watch a start, cheap enough to idle at well under 1% of a core. */
export const POLL_MS = 2_000;
const PING_TIMEOUT_MS = 1_500;

/**
 * Opens the dashboard full screen on this terminal and resolves when it closes. Set
 * TWINBOX_DASHBOARD_EXIT_AFTER_FIRST_LIST=1 to close it as soon as the first frame with the
 * workspace list is drawn: the first-frame benchmark times that; it changes nothing else.
 */
export async function runDashboard(core: Core, env: NodeJS.ProcessEnv): Promise<number> {
  const service = new DashboardService(core);
  const exitAfterFirstList = env.TWINBOX_DASHBOARD_EXIT_AFTER_FIRST_LIST === '1';
  let app: ReturnType<typeof renderApp> | undefined;
  const options: DashboardOptions = {
    pollMs: POLL_MS,
    pingTimeoutMs: PING_TIMEOUT_MS,
    onFirstList: exitAfterFirstList ? () => app?.instance.unmount() : undefined,
  };
  app = renderApp(() => <DashboardApp service={service} options={options} />, { env, alternateScreen: true });
  await app.done;
  return 0;
}
