export interface UninstallOptions {
  /** Keep `<data>/workspaces/<name>` (event log, setup journal, files the user put there). */
  keepUserData?: boolean;
  /**
   * Remove the workspace even when its VM cannot be removed through its hypervisor (its record
   * damaged, its plugin gone): the VM's files go with the workspace folder.
   */
  force?: boolean;
}

export interface UninstallResult {
  name: string;
  version: string;
  removedVm?: { hypervisor: string; id: string };
  /** With --force: the VM its hypervisor could not remove, and why; its files went with the workspace folder. */
  abandonedVm?: { hypervisor: string; id: string; problem: string };
  removedStoreDirs: string[];
  /** The workspace folder: removed, or kept with --keep-user-data. */
  workspaceDir: { path: string; kept: boolean };
  /** Its apps' shims and menu entries (`twinbox publish --shims`), removed. */
  removedShims: string[];
}
