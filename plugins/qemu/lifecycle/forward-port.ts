import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { isTwinboxError, writeFileAtomic, type ForwardedPort, type VmRef } from 'twinbox/plugin-api';
import type { QemuDeps } from '../deps.js';
import { qemuErrors } from '../errors.js';
import { hmp } from '../qmp/hmp.js';
import { withQmp, type QmpConnection } from '../qmp/qmp-connection.js';
import type { VmPaths } from '../vm/vm-paths.js';
import { loadVm } from './load-vm.js';
import { inspectVm } from './state.js';

/** Forwarded ports listen on the host's loopback only: nothing else on the network reaches the guest. */
export const FORWARD_HOST = '127.0.0.1';
/** The user-mode network's netdev id in the VM's command line (vm/argv.ts). */
const NETDEV = 'net0';
const HOSTFWD_TIMEOUT_MS = 10_000;
/** HMP's words when the host port could not be bound (taken by another program meanwhile). */
const PORT_TAKEN = /could not set up host forwarding rule/i;

/** `<runDir>/forwards.json` (0600): the rules added to one QEMU process, by guest port. */
interface ForwardTable {
  pid: number;
  ports: Record<string, number>;
}

export function forwardsFile(paths: VmPaths): string {
  return join(paths.runDir, 'forwards.json');
}

/** Rules die with the QEMU process that had them: a table written for another pid is empty. */
async function readPorts(path: string, pid: number): Promise<Record<string, number>> {
  let table: Partial<ForwardTable>;
  try {
    table = JSON.parse(await readFile(path, 'utf8')) as Partial<ForwardTable>;
  } catch {
    return {};
  }
  if (table.pid !== pid || typeof table.ports !== 'object' || table.ports === null) return {};
  const ports = Object.entries(table.ports);
  return ports.every(([, port]) => Number.isInteger(port)) ? Object.fromEntries(ports) : {};
}

async function writePorts(path: string, table: ForwardTable): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(table)}\n`, { mode: 0o600 });
}

export async function clearForwards(paths: VmPaths): Promise<void> {
  await rm(forwardsFile(paths), { force: true });
}

/**
 * A loopback port nobody listens on right now: the kernel picks one for a listener that is
 * closed at once. Another program may take it before QEMU binds it, hence the caller's retry.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, FORWARD_HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => (port ? resolve(port) : reject(new Error('the kernel gave no port'))));
    });
  });
}

export async function addRule(qmp: QmpConnection, id: string, guestPort: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    // HMP answers nothing on success and its error message as text.
    const output = await hmp(qmp, `hostfwd_add ${NETDEV} tcp:${FORWARD_HOST}:${port}-:${guestPort}`, HOSTFWD_TIMEOUT_MS);
    if (output === '') return port;
    if (attempt === 1 && PORT_TAKEN.test(output)) continue;
    throw qemuErrors.forwardFailed(id, guestPort, output.replace(/^Error:\s*/i, ''));
  }
}

export function checkGuestPort(guestPort: number): void {
  if (!Number.isInteger(guestPort) || guestPort < 1 || guestPort > 65_535) throw qemuErrors.invalidPort(guestPort);
}

/**
 * A loopback host port forwarded by QEMU's user-mode network (`hostfwd_add`) to TCP
 * `guestPort` of the running guest. Added once per QEMU process: a second call returns the
 * same port; a restarted VM starts with none. Network `none` has nothing to forward to, and
 * `bridged` guests sit on the host's network with an address QEMU does not know: undefined.
 */
export async function forwardPort(deps: QemuDeps, vm: VmRef, guestPort: number): Promise<ForwardedPort | undefined> {
  checkGuestPort(guestPort);
  const config = await loadVm(deps, vm);
  if (config.spec.network !== 'nat') return undefined;
  const { status, verdict } = await inspectVm(deps, config);
  if (verdict.kind !== 'ours' || status.state !== 'running') throw qemuErrors.vmNotRunning(vm.id, status.state);
  const file = forwardsFile(config.paths);
  try {
    // QEMU serves one monitor client at a time, so holding the session makes look-up, add and
    // record one step for every twinbox process: two callers never add the same rule twice.
    return await withQmp(config.paths.qmpSocket, async (qmp) => {
      const ports = await readPorts(file, verdict.pid);
      const known = ports[String(guestPort)];
      if (known !== undefined) return { host: FORWARD_HOST, port: known };
      const port = await addRule(qmp, vm.id, guestPort);
      await writePorts(file, { pid: verdict.pid, ports: { ...ports, [String(guestPort)]: port } });
      deps.logger.debug('forwarded a host port to the guest', { id: vm.id, host: FORWARD_HOST, port, guestPort });
      return { host: FORWARD_HOST, port };
    });
  } catch (error) {
    if (isTwinboxError(error)) throw error;
    throw qemuErrors.forwardFailed(vm.id, guestPort, error instanceof Error ? error.message : String(error));
  }
}
