import { isIPv4 } from 'node:net';
import { checkGuestPort, type ForwardedPort, type VmRef } from 'twinbox/plugin-api';
import { vmIdOf } from '../driver/names.js';
import { asList, asRecord } from '../driver/values.js';
import type { HyperVContext } from '../provider.js';
import { guestAddressesScript } from '../scripts/guest-addresses.js';

// 169.254.0.0/16: what a guest gives itself when DHCP did not answer; the host has no route to it.
function isLinkLocal(address: string): boolean {
  return address.startsWith('169.254.');
}

/**
 * A Hyper-V guest has its own address on the virtual switch, so the port is reached there
 * unchanged: the first IPv4 address its adapters report while it runs. None is reported
 * until the guest's integration services run and it has an address.
 */
export async function forwardPort(ctx: HyperVContext, vm: VmRef, guestPort: number): Promise<ForwardedPort | undefined> {
  checkGuestPort(guestPort);
  const reported = asRecord(await ctx.driver.invoke(guestAddressesScript(vmIdOf(vm)), { action: "read the VM's network addresses" }));
  if (reported.State !== 'Running') return undefined;
  const address = asList(reported.Addresses).find((value): value is string => typeof value === 'string' && isIPv4(value) && !isLinkLocal(value));
  return address === undefined ? undefined : { host: address, port: guestPort };
}
