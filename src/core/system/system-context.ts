import type { Core } from '../open-core.js';
import type { TwinboxPaths } from '../paths.js';
import type { AdminCheck } from './admin.js';
import { currentCaller } from './caller.js';
import { systemDirOf, systemPaths } from './system-dir.js';

/** Who is asking and about which system folder, for an admin check in this process. */
export function adminCheckOf(core: Core): AdminCheck {
  const env = core.env;
  return { caller: currentCaller(), systemDir: systemDirOf(env), env, events: core.events };
}

/** The system folder as a state folder, for the install and uninstall code. */
export function systemPathsOf(core: Core): TwinboxPaths {
  return systemPaths(core.env, core.paths);
}
