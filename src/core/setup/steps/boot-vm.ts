import { EventCodes } from '../../events/codes.js';
import { bootVm } from '../../workspace/boot-vm.js';
import { STEP, type SetupRun } from '../setup-run-context.js';
import type { SetupStep } from '../step-runner.js';

export function bootStep(run: SetupRun): SetupStep {
  return {
    id: STEP.boot,
    title: 'Start the VM',
    weight: 10,
    failureCode: EventCodes.setupVmStartFailed,
    async run(context) {
      await bootVm(await run.hypervisor(), run.vm(), {
        timeoutMs: context.remainingMs(),
        signal: context.signal,
        onProgress: (report) => context.progress(report.message ?? 'starting', report.percent),
      });
    },
  };
}
