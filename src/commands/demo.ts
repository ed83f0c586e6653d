import { removeDemo, runDemo, type DemoHypervisorChoice } from '../core/demo/demo.js';
import { openCore } from '../core/open-core.js';
import type { CommandContext } from './command-context.js';
import { json } from './format.js';
import { openDashboard } from './open-dashboard.js';
import { onTerminal } from './terminal-checks.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    options: { json: { type: 'boolean' }, qemu: { type: 'boolean' }, fake: { type: 'boolean' }, remove: { type: 'boolean' }, 'no-ui': { type: 'boolean' } },
  });
  if (values.qemu && values.fake) throw new UsageError('choose one of --qemu and --fake');
  const core = openCore({ env: context.env });
  const say = (message: string) => {
    if (!values.json) context.stdout.write(`  ${message}\n`);
  };
  if (values.remove) {
    const removed = await removeDemo(core, (step) => say(step.message));
    if (values.json) context.stdout.write(json({ removed }));
    else context.stdout.write(removed ? 'demo removed\n' : 'no demo to remove\n');
    return 0;
  }
  const choice: DemoHypervisorChoice = values.qemu ? 'qemu' : values.fake ? 'fake' : 'auto';
  if (!values.json) context.stdout.write('twinbox demo\n');
  const result = await runDemo(core, choice, (step) => say(step.message), context.env);
  if (values.json) {
    context.stdout.write(json(result));
    return 0;
  }
  const label = result.simulated ? ' — SIMULATED: no real guest runs on the fake hypervisor' : '';
  context.stdout.write(
    [
      '',
      `workspace "${result.workspace}" (VM "${result.vmId}") is ${result.state} on ${result.hypervisor}${label}`,
      `guest: ${result.os}, host name ${result.hostName}; guest agent answered in ${result.agentReadyMs} ms`,
      `published apps: ${result.apps.map((app) => `${app.name} (${app.kind})`).join(', ') || 'none'}`,
      ...(result.helloOutput ? ['output of the command app, run in the guest:', ...result.helloOutput.trimEnd().split('\n').map((line) => `  | ${line}`)] : []),
      '',
      `The workspace keeps running after this command. Watch it with \`twinbox\` (the dashboard); remove it with \`twinbox demo --remove\`.`,
      '',
    ].join('\n'),
  );
  // On a terminal the demo ends in the dashboard; --no-ui (and a pipe, CI) ends here.
  if (!values['no-ui'] && onTerminal()) return openDashboard(context.env, core);
  return 0;
}
