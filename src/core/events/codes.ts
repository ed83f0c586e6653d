/**
 * Stable numeric event codes, documented in the README: monitoring keys on them and a failed
 * setup's status record carries the failing one. Numbers never change meaning; new events get
 * new numbers. Ranges: 1xxx setup, 2xxx vm, 3xxx publishing, 4xxx redirection, 5xxx policy,
 * 6xxx agent, 7xxx package/install.
 */
export const EventCodes = {
  setupStarted: 1000,
  setupStepStarted: 1001,
  setupStepDone: 1002,
  setupStepRetry: 1003,
  setupResumed: 1004,
  setupPromptAnswered: 1005,
  setupReady: 1010,
  setupFailed: 1020,
  setupScriptOutput: 1030,
  /** Failures of one setup step: a failed setup's status record carries one of these. */
  setupNoHypervisor: 1040,
  setupVmCreateFailed: 1041,
  setupVmStartFailed: 1042,
  setupAgentTimeout: 1043,
  setupComputerNameFailed: 1044,
  setupTimeZoneFailed: 1045,
  setupLocaleFailed: 1046,
  setupUserFailed: 1047,
  setupScriptFailed: 1048,
  setupAppDiscoveryFailed: 1049,
  setupUpgradeIncomplete: 1050,
  /** The guest could not mount a shared folder during setup. */
  setupSharedFoldersFailed: 1051,

  vmStarting: 2000,
  vmRunning: 2001,
  vmStopping: 2002,
  vmStopped: 2003,
  vmPaused: 2004,
  vmSuspended: 2005,
  vmResumed: 2006,
  vmCrashed: 2010,
  vmMissing: 2011,
  vmReset: 2020,
  vmStartFailed: 2021,
  vmRestarted: 2022,
  /** The guest console's last lines, logged when its guest agent did not answer. */
  vmConsoleTail: 2100,
  /** GUI apps as RDP RemoteApp windows on the host (FreeRDP): 2200–2209. */
  remoteAppOpened: 2200,
  /** RemoteApp could not be used for a launch (why), so the VM's screen was tried. */
  remoteAppUnavailable: 2201,
  /** FreeRDP ended at once with an error. */
  remoteAppFailed: 2202,
  /** A one-time RDP password was set for the guest account (the password itself is never logged). */
  remoteAppPasswordSet: 2203,
  /** A shared folder could not be redirected as an RDP drive. */
  remoteAppDriveSkipped: 2204,
  /** The host agent replaced the one-time RDP password with one nobody knows once its RemoteApp windows had closed. */
  remoteAppPasswordRetired: 2205,
  /** That replacement failed (tried again at the next round with no app running). */
  remoteAppPasswordRetireFailed: 2206,

  appsDiscovered: 3000,
  appLaunched: 3001,
  appLaunchFailed: 3038,
  /** Host integration (`twinbox publish --shims`): 3100–3199. */
  shimsSynced: 3100,
  shimCreated: 3101,
  shimRemoved: 3102,
  shimConflict: 3103,
  shimsSyncFailed: 3104,
  /** A refresh of the app catalog found apps added, removed, renamed or changed in the guest. */
  appsCatalogChanged: 3200,
  appsRefreshFailed: 3201,
  /** publishing.enabled is off: the catalog was emptied. */
  appsPublishingDisabled: 3202,

  urlRedirected: 4000,
  urlOpenedOnHost: 4001,
  fileRedirected: 4002,
  redirectionRuleInvalid: 4003,
  redirectionFailed: 4004,
  /** Shared folders exported by the hypervisor (9p) and mounted in the guest at start: 4010–4019. */
  sharedFoldersMounted: 4010,
  sharedFolderMountFailed: 4011,
  /** A shared folder is missing (or not a folder) on the host: start and setup refused. */
  sharedFolderMissing: 4012,

  policyApplied: 5000,
  policyMalformed: 5001,
  /** access.workspaces refused this user a workspace. */
  workspaceAccessDenied: 5100,
  /** An action on a machine-wide workspace that only an administrator may take. */
  adminRequired: 5101,

  agentConnected: 6000,
  agentUnreachable: 6001,
  /** The host agent (`twinbox agent`). */
  hostAgentStarted: 6002,
  hostAgentStopped: 6003,
  /** Health checks: the guest agent stopped answering / answers again. */
  agentHealthLost: 6010,
  agentHealthRecovered: 6011,
  /** Start at logon (workspace.startup at-logon). */
  logonStart: 6020,
  logonStartFailed: 6021,
  /** The close action after the last app exited and the idle time passed. */
  closeActionApplied: 6030,
  closeActionFailed: 6031,
  /** The maintenance window (maintenance.*): 6040–6059. */
  maintenanceStarted: 6040,
  /** One maintenance command ended: its exit code and the last of its output. */
  maintenanceCommandOutput: 6041,
  maintenanceCommandFailed: 6042,
  maintenanceSucceeded: 6043,
  maintenanceFailed: 6044,
  /** The window's time (maintenance.windowMinutes) ran out before the commands were done. */
  maintenanceOverrun: 6045,
  /** An app was running as the window opened and maintenance.whenInUse is skip. */
  maintenanceSkippedInUse: 6046,
  /** maintenance.whenInUse is wait: the window waits for the running apps to end. */
  maintenanceWaitingForApps: 6047,
  /** A window cut short (its process killed) was finished: the workspace was put back. */
  maintenanceRecovered: 6048,
  /** The workspace could not be put back in the state it was in before the window. */
  maintenanceRestoreFailed: 6049,
  /** The agent was not running at the scheduled time and the window had passed by when it was. */
  maintenanceMissed: 6050,

  packageInstalled: 7000,
  packageUpgraded: 7001,
  packageUninstalled: 7002,
  packageRejected: 7010,
  systemWorkspaceInstalled: 7100,
  systemWorkspaceUpgraded: 7101,
  systemWorkspaceUninstalled: 7102,
  /** The system folder was created (and its group, when it was missing). */
  systemFolderCreated: 7103,
  /** The workspace registry was missing or damaged and was rebuilt from the workspaces on disk. */
  registryRebuilt: 7200,
} as const;

export type EventCodeName = keyof typeof EventCodes;
export type EventCategory = 'setup' | 'vm' | 'publishing' | 'redirection' | 'policy' | 'agent' | 'package';

export function categoryOf(code: number): EventCategory {
  const categories: EventCategory[] = ['setup', 'vm', 'publishing', 'redirection', 'policy', 'agent', 'package'];
  return categories[Math.floor(code / 1000) - 1] ?? 'setup';
}
