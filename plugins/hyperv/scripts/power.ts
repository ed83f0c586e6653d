import { lookupVm } from './vm.js';

export type PowerAction = 'start' | 'shutdown' | 'turn-off' | 'pause' | 'save' | 'resume' | 'discard-saved-state';

const COMMANDS: Readonly<Record<PowerAction, string>> = {
  start: 'Hyper-V\\Start-VM -VM $vm;',
  // -AsJob: the guest shuts down while twinbox watches the state and keeps its own deadline.
  shutdown: 'Hyper-V\\Stop-VM -VM $vm -Force -AsJob | Out-Null;',
  'turn-off': 'Hyper-V\\Stop-VM -VM $vm -TurnOff -Force;',
  pause: 'Hyper-V\\Suspend-VM -VM $vm;',
  save: 'Hyper-V\\Save-VM -VM $vm;',
  resume: 'Hyper-V\\Resume-VM -VM $vm;',
  'discard-saved-state': 'Hyper-V\\Remove-VMSavedState -VM $vm;',
};

export function powerScript(vmId: string, action: PowerAction): string {
  return `${lookupVm(vmId)} ${COMMANDS[action]} $null`;
}
