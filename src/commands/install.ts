import { createInterface } from 'node:readline/promises';
import type { InstallPlan } from '../core/package/install/install-plan.js';
import { installPackage, type InstallResult } from '../core/package/install/install-package.js';
import { watchInterrupts } from '../core/package/interrupts.js';
import { createProgressPrinter } from '../core/package/progress-printer.js';
import { openCore } from '../core/open-core.js';
import { installSystemPackage } from '../core/system/install-system.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

/** Guest data is at stake when a VM is removed now or replaced after the upgrade's setup. */
function risksGuestData(plan: InstallPlan): boolean {
  return plan.vmToRemove !== undefined || (plan.kind === 'upgrade' && plan.keep?.vm !== undefined);
}

async function ask(question: string, context: CommandContext): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: context.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

function signatureLine(result: InstallResult): string {
  switch (result.signature.state) {
    case 'verified':
      return `verified (key ${result.signature.keyFingerprint})`;
    case 'unchecked':
      return 'present, not checked: no trusted keys are configured (security.trustedKeys)';
    default:
      return 'none (unsigned package)';
  }
}

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { unattended: { type: 'boolean' }, overwrite: { type: 'boolean' }, system: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the package file (.twbx) to install' : 'give exactly one package file');
  // Questions only where someone can answer: never under --unattended, never without a terminal.
  const interactive = !values.unattended && process.stdin.isTTY === true && (context.stderr as NodeJS.WriteStream).isTTY === true;
  const progress = createProgressPrinter(values.unattended ? { write: (text) => context.stderr.write(text) } : (context.stderr as NodeJS.WriteStream));
  const interrupts = watchInterrupts();
  const core = openCore({ env: context.env });
  try {
    const install = values.system ? installSystemPackage : installPackage;
    const result = await install(core, positionals[0]!, {
      overwrite: values.overwrite,
      signal: interrupts.signal,
      onProgress: (step) => progress.update(`unpacking ${step.member}`, step.done, step.total),
      confirm: async (plan) => {
        for (const warning of plan.warnings) context.stderr.write(`warning: ${warning}\n`);
        if (!interactive || !risksGuestData(plan)) return true;
        return ask(`${plan.kind === 'upgrade' ? 'Upgrade' : 'Reinstall'} ${plan.name} to ${plan.version}? [y/N] `, context);
      },
    });
    progress.finish();
    const scope = values.system ? 'system' : 'user';
    if (values.json) {
      context.stdout.write(json({ ...result, scope }));
      return 0;
    }
    const where = values.system ? ' machine-wide' : '';
    const what =
      result.kind === 'upgrade'
        ? `upgraded ${result.name}${where} from ${result.previousVersion} to ${result.version}`
        : `installed ${result.name} ${result.version}${where}${result.kind === 'overwrite' ? ' again' : ''}`;
    context.stdout.write(
      [
        what,
        `  store:      ${result.storeDir}`,
        `  signature:  ${signatureLine(result)}`,
        `  hypervisor: ${result.hypervisor.name}${result.hypervisor.simulated ? ' (simulated)' : ''} can run it here`,
        values.system
          ? `  setup:      each user's own VM is set up when they first start the workspace`
          : `  setup:      pending; first-time setup runs when the workspace is first started`,
        ...(result.replacing ? [`  replacing:  ${result.replacing.version} stays in use until ${result.version} has set up`] : []),
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    progress.finish();
    const interrupted = interrupts.exitCode();
    if (interrupted === undefined) throw error;
    context.stderr.write('twinbox: install interrupted; nothing was installed\n');
    return interrupted;
  } finally {
    interrupts.dispose();
  }
}
