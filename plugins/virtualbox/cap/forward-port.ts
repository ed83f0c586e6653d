import { isIPv4 } from 'node:net';
import { checkGuestPort, checkVmId, vmNotCreated, type ForwardedPort, type VmRef } from 'twinbox/plugin-api';
import { LOOPBACK, loopbackPortTaken } from '../driver/loopback-port.js';
import { machineOf } from '../driver/names.js';
import { readVm, type VBoxContext } from '../provider.js';

/** One NAT port-forwarding rule of the first NIC. */
export interface NatRule {
  name: string;
  protocol: string;
  hostIp: string;
  hostPort: number;
  guestIp: string;
  guestPort: number;
}

/** showvminfo's `Forwarding(<n>)="name,tcp,hostip,hostport,guestip,guestport"` lines (names cannot hold commas). */
export function natRules(info: ReadonlyMap<string, string>): NatRule[] {
  const rules: NatRule[] = [];
  for (const [key, value] of info) {
    if (!/^Forwarding\(\d+\)$/.test(key)) continue;
    const fields = value.split(',');
    if (fields.length !== 6) continue;
    const [name, protocol, hostIp, hostPort, guestIp, guestPort] = fields as [string, string, string, string, string, string];
    rules.push({ name, protocol, hostIp, hostPort: Number(hostPort), guestIp, guestPort: Number(guestPort) });
  }
  return rules;
}

/** twinbox's rule for a guest port: one per port, so asking again reuses it. */
export function ruleName(guestPort: number): string {
  return `twinbox-tcp-${guestPort}`;
}

export const GUEST_IPV4_PROPERTY = '/VirtualBox/GuestInfo/Net/0/V4/IP';

function isOurs(rule: NatRule, guestPort: number): boolean {
  return rule.protocol === 'tcp' && rule.hostIp === LOOPBACK && rule.guestIp === '' && rule.guestPort === guestPort && rule.hostPort > 0;
}

/**
 * A loopback port forwarded by VirtualBox's NAT to the guest port, added to the running VM
 * (`controlvm natpf1`, kept in its settings and removed with it). The rule twinbox made
 * earlier is reused while VirtualBox still holds its port; one it does not hold (the port
 * was taken by another program at VM start) is replaced.
 */
async function natForward(ctx: VBoxContext, vm: VmRef, info: ReadonlyMap<string, string>, guestPort: number): Promise<ForwardedPort> {
  const name = ruleName(guestPort);
  const existing = natRules(info).find((rule) => rule.name === name);
  if (existing && isOurs(existing, guestPort) && (await loopbackPortTaken(existing.hostPort))) return { host: LOOPBACK, port: existing.hostPort };
  if (existing) await ctx.driver.exec(['controlvm', machineOf(vm), 'natpf1', 'delete', name]);
  const hostPort = await ctx.freePort();
  await ctx.driver.exec(['controlvm', machineOf(vm), 'natpf1', `${name},tcp,${LOOPBACK},${hostPort},,${guestPort}`]);
  return { host: LOOPBACK, port: hostPort };
}

/** A bridged guest has its own address on the host's network, reported by the Guest Additions. */
async function guestAddress(ctx: VBoxContext, vm: VmRef, guestPort: number): Promise<ForwardedPort | undefined> {
  const output = await ctx.driver.exec(['guestproperty', 'get', machineOf(vm), GUEST_IPV4_PROPERTY]);
  // "Value: 192.168.1.57", or "No value set!" until the Guest Additions report one. The label
  // is translated ("Wert: …" in German), so only the shape is read: a label, a colon, one value.
  const value = /^[^:\n]+:\s*(\S+)\s*$/m.exec(output)?.[1];
  return value !== undefined && isIPv4(value) ? { host: value, port: guestPort } : undefined;
}

/** How the host reaches TCP `guestPort` of the running guest, by how its first NIC is attached. */
export async function forwardPort(ctx: VBoxContext, vm: VmRef, guestPort: number): Promise<ForwardedPort | undefined> {
  checkVmId(vm.id);
  checkGuestPort(guestPort);
  const { status, info } = await readVm(ctx, vm);
  if (status.state === 'not-created') throw vmNotCreated(vm, 'VirtualBox');
  if (status.state !== 'running') return undefined;
  const attachment = info.get('nic1');
  if (attachment === 'nat') return natForward(ctx, vm, info, guestPort);
  if (attachment === 'bridged' || attachment === 'hostonly') return guestAddress(ctx, vm, guestPort);
  return undefined;
}
