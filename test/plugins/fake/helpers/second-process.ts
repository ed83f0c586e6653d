/**
 * A second twinbox-like process for the persistence tests: it builds its own FakeHypervisor
 * over the same folders and acts on a VM, then prints what it saw as one JSON line and exits.
 * Usage: node second-process.js <start|inspect> <json {paths, vm}>
 */
import type { PluginPaths, VmRef } from 'twinbox/plugin-api';
import { ExecaCommandRunner } from '../../../../src/core/process/execa-runner.js';
import { FakeHypervisor } from '../../../../plugins/fake/index.js';
import { AGENT_CHANNEL, realClock } from './fake-fixture.js';
import { TinyQgaClient } from './tiny-qga-client.js';

const [command, json] = process.argv.slice(2);
const { paths, vm } = JSON.parse(json ?? '{}') as { paths: PluginPaths; vm: VmRef };
const fake = new FakeHypervisor(new ExecaCommandRunner(), paths, realClock);

async function inspect(): Promise<Record<string, unknown>> {
  const status = await fake.state(vm);
  let ping: unknown;
  if (status.state === 'running') {
    const client = new TinyQgaClient(await fake.openChannel(vm, AGENT_CHANNEL));
    await client.sync();
    ping = await client.call('guest-ping');
    client.close();
  }
  return { status, ping, vms: await fake.listVms(), pid: process.pid };
}

async function main(): Promise<void> {
  if (command === 'start') await fake.start(vm, { timeoutMs: 20_000 });
  else if (command !== 'inspect') throw new Error(`unknown command ${command}`);
  process.stdout.write(`${JSON.stringify(await inspect())}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
