import { mkdir, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { OperationOptions, VmRef, VmSpec } from 'twinbox/plugin-api';
import { buildArgv, qemuFormatName } from '../driver/argv.js';
import { qemuErrors } from '../driver/errors.js';
import { QemuImg } from '../driver/qemu-img.js';
import { validateSpec } from '../driver/validate-spec.js';
import { readVmConfig, writeVmConfig } from '../driver/vm-config.js';
import { checkSocketPaths, vmPaths } from '../driver/vm-paths.js';
import type { QemuDeps } from '../provider.js';

/** A linked clone: a qcow2 overlay on the read-only base, so creating takes no copying. */
export async function create(deps: QemuDeps, spec: VmSpec, options: OperationOptions = {}): Promise<VmRef> {
  validateSpec(spec);
  if (!isAbsolute(spec.image.path)) throw qemuErrors.invalidSpec(`the base image path must be absolute: ${spec.image.path}`);
  try {
    await stat(spec.image.path);
  } catch {
    throw qemuErrors.imageNotFound(spec.image.path);
  }
  const paths = vmPaths(spec, deps.paths.runtimeDir);
  checkSocketPaths(paths);
  if (await readVmConfig(paths.config)) throw qemuErrors.vmExists(spec.id, spec.vmDir);
  const host = await deps.detector.require();

  await mkdir(spec.vmDir, { recursive: true, mode: 0o700 });
  options.onProgress?.({ percent: 0, message: 'creating the overlay disk' });
  await new QemuImg(deps.runner, host.qemuImg).createOverlay(spec.image.path, qemuFormatName(spec.image.format), paths.overlay);
  const argv = [host.qemuSystem, ...buildArgv({ spec, paths, qemuArch: host.arch.qemuArch, accel: host.accel, firmware: host.firmware })];
  await writeVmConfig({ format: 1, spec, paths, argv, lifecycle: 'created', changedAt: new Date().toISOString() });
  options.onProgress?.({ percent: 100, message: 'created' });
  return { id: spec.id, vmDir: spec.vmDir, data: { overlay: paths.overlay, runDir: paths.runDir } };
}
