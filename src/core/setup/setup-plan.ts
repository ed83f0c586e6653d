import type { SetupRun } from './setup-run-context.js';
import type { SetupStep } from './step-runner.js';
import { bootStep } from './steps/boot-vm.js';
import { chooseHypervisorStep } from './steps/choose-hypervisor.js';
import { computerNameStep } from './steps/computer-name.js';
import { createVmStep } from './steps/create-vm.js';
import { discoverAppsStep } from './steps/discover-apps.js';
import { guestUserStep } from './steps/guest-user.js';
import { localeStep, timeZoneStep } from './steps/regional-settings.js';
import { scriptStep } from './steps/run-script.js';
import { hasGuestMountedFolders, sharedFoldersStep } from './steps/shared-folders.js';
import { waitAgentStep } from './steps/wait-agent.js';

/** The steps of first-time setup for this workspace, in order; optional ones only when workspace.json asks for them. */
export function planSetup(run: SetupRun): SetupStep[] {
  const { setup } = run.manifest;
  return [
    chooseHypervisorStep(run),
    createVmStep(run),
    bootStep(run),
    waitAgentStep(run),
    ...(hasGuestMountedFolders(run) ? [sharedFoldersStep(run)] : []),
    computerNameStep(run),
    ...(setup.copyTimeZone ? [timeZoneStep(run)] : []),
    ...(setup.copyLocale ? [localeStep(run)] : []),
    ...(setup.user ? [guestUserStep(run, setup.user)] : []),
    ...setup.scripts.map((path, index) => scriptStep(run, path, index + 1)),
    discoverAppsStep(run),
  ];
}
