import { psString } from '../driver/ps-literal.js';

/** First statement of every script about one VM: find it by GUID (see Get-TwinboxVm). */
export function lookupVm(vmId: string): string {
  return `$vm = Get-TwinboxVm -Id ${psString(vmId)};`;
}
