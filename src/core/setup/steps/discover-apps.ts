import { EventCodes } from '../../events/codes.js';
import { buildCatalog, writeCatalog } from '../app-catalog.js';
import { STEP, type SetupRun } from '../setup-run-context.js';
import type { SetupStep } from '../step-runner.js';
import { crashPoint } from '../../workspace/crash-points.js';

export function discoverAppsStep(run: SetupRun): SetupStep {
  return {
    id: STEP.apps,
    title: 'Discover the guest apps',
    weight: 5,
    failureCode: EventCodes.setupAppDiscoveryFailed,
    async run(context) {
      const { publishing } = run.manifest;
      // With publishing off (MED-V AppPublishingEnabled) nothing is published, so the guest is not asked.
      const enabled = run.ws.core.settings.get('publishing.enabled');
      const discovered = enabled && publishing.autoDiscover ? await run.withAgent(context, (session) => session.listApps({ timeoutMs: context.remainingMs() })) : [];
      const apps = enabled ? buildCatalog(discovered, publishing) : [];
      await writeCatalog(run.ws.layout, {
        workspace: run.ws.name,
        version: run.entry.version,
        updatedAt: new Date(run.ws.clock.now()).toISOString(),
        apps,
      });
      crashPoint('setup:catalog-written');
      context.log('info', enabled ? `${apps.length} app(s) published of ${discovered.length} found in the guest` : 'app publishing is off (publishing.enabled): no apps published');
      return { apps: apps.length };
    },
  };
}
