import { isTwinboxError, type Availability } from 'twinbox/plugin-api';
import { INSTALL_HINT, type VBoxManageDriver } from './driver.js';
import { kernelModuleMissing } from './version.js';

const OLDEST_SUPPORTED: readonly [number, number] = [6, 1];

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
  const [major = 0, minor = 0] = version.version.split('.').map(Number);
  if (major < OLDEST_SUPPORTED[0] || (major === OLDEST_SUPPORTED[0] && minor < OLDEST_SUPPORTED[1])) {
    return { usable: false, reason: `VirtualBox ${version.version} is too old (6.1 or newer needed): ${INSTALL_HINT}`, version: version.version, details };
  }
  return { usable: true, reason: `VirtualBox ${version.version} (${binary})`, version: version.version, details };
}
