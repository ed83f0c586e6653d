import { isTwinboxError, versionSatisfies, type Availability } from 'twinbox/plugin-api';
import { INSTALL_HINT, type VBoxManageDriver } from './driver.js';
import { kernelModuleMissing } from './version.js';

const SUPPORTED = '>=6.1.0';

/** Is VirtualBox usable here, and if not, what fixes it. Runs at most `VBoxManage --version`. */
export async function detect(driver: VBoxManageDriver): Promise<Availability> {
  const binary = await driver.findBinary();
  if (!binary) return { usable: false, reason: `VBoxManage was not found: ${INSTALL_HINT}` };
  let version;
  try {
    version = await driver.version();
  } catch (error) {
    if (!isTwinboxError(error)) throw error;
    return { usable: false, reason: error.hint ? `${error.message}: ${error.hint}` : error.message, details: { binary } };
  }
  const details: Record<string, string> = { binary };
  if (version.revision) details.revision = version.revision;
  if (kernelModuleMissing(version)) {
    return {
      usable: false,
      reason: 'the VirtualBox kernel module (vboxdrv) is not loaded, so no VM can start: run `sudo /sbin/vboxconfig` (on Secure Boot systems, sign or enroll the module), then try again',
      version: version.version,
      details,
    };
  }
  if (!versionSatisfies(version.version, SUPPORTED)) {
    return { usable: false, reason: `VirtualBox ${version.version} is too old (6.1 or newer needed): ${INSTALL_HINT}`, version: version.version, details };
  }
  return { usable: true, reason: `VirtualBox ${version.version} (${binary})`, version: version.version, details };
}
