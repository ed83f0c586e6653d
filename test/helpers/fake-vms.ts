import { join } from 'node:path';
import { FakeHypervisor } from '../../plugins/fake/index.js';
import { resolvePaths } from '../../src/core/paths.js';
import { ExecaCommandRunner } from '../../src/core/process/execa-runner.js';
import { realClock } from '../plugins/fake/helpers/fake-fixture.js';

/** Removes every fake VM twinbox made for this TWINBOX_HOME (their guest processes end with them). */
export async function removeFakeVms(home: string): Promise<void> {
  const paths = resolvePaths({ TWINBOX_HOME: home });
  const fake = new FakeHypervisor(
    new ExecaCommandRunner(),
    { dataDir: join(paths.dataDir, 'plugins', 'fake'), cacheDir: join(paths.cacheDir, 'plugins', 'fake'), runtimeDir: join(paths.runtimeDir, 'fake') },
    realClock,
  );
  for (const [id, vmDir] of Object.entries(await fake.listVms())) await fake.remove({ id, vmDir });
}
