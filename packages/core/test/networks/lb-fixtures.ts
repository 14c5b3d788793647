import { expect } from 'vitest';
import type { CallContext, CloudError, Network, PublicIp, VmView } from '../../src/index.js';
import { refused } from '../accounts/tenants.js';
import { deployInput, networkCloud, networkFootprint, routerConfigOf, type NetworkCloud } from './network-fixtures.js';

/** A network cloud where alice runs `count` VMs (`web1`…) on her isolated network. */
export async function aliceWithVms(count: number, options: Parameters<typeof networkCloud>[0] = {}) {
  const t = await networkCloud(options);
  const alice = t.cloud.as(t.as.alice);
  const vms: VmView[] = [];
  for (let i = 1; i <= count; i += 1) vms.push(await alice.vms.deploy(deployInput(t, { name: `web${i}` })));
  const network = (await alice.networks.list({})).items[0];
  if (network === undefined) throw new Error('alice has no network');
  return { t, alice, vms, network };
}

/** A new public IP for `caller` on `networkId` (`associateIpAddress`). */
export async function acquireIp(t: NetworkCloud, caller: CallContext, networkId: string): Promise<PublicIp> {
  return t.cloud.as(caller).publicIps.associate({ networkId });
}

/** The source NAT address of a network. */
export async function sourceNatOf(t: NetworkCloud, networkId: string): Promise<PublicIp> {
  const ip = await t.cloud.store.transaction((tx) => tx.repo('publicIps').findOne({ networkId, isSourceNat: true }));
  if (ip === undefined) throw new Error(`network ${networkId} has no source NAT address`);
  return ip;
}

/** The guest address of a VM's NIC on a network. */
export function guestIpOf(vm: VmView, network: Pick<Network, 'id'>): string {
  const nic = vm.nics.find((n) => n.networkId === network.id);
  if (nic?.ipAddress === undefined) throw new Error(`VM ${vm.name} has no address on network ${network.id}`);
  return nic.ipAddress;
}

/**
 * An enabled isolated offering whose virtual router gives load balancing with only the round
 * robin algorithm and source-based stickiness, and no port forwarding; and a network of alice's
 * from it with one VM, and an address on it.
 */
export async function narrowLbNetwork(t: NetworkCloud) {
  const offering = await t.cloud.system.networkOfferings.create({
    name: 'lb-roundrobin-only',
    displayText: 'LB with round robin and source stickiness, no port forwarding',
    guestIpType: 'Isolated',
    supportedServices: ['Dhcp', 'Dns', 'SourceNat', 'Firewall', 'Lb'],
    serviceCapabilityList: [
      { service: 'Lb', capabilityType: 'SupportedLBAlgorithms', capabilityValue: 'roundrobin' },
      { service: 'Lb', capabilityType: 'SupportedStickinessMethods', capabilityValue: 'SourceBased' },
    ],
  });
  await t.cloud.system.networkOfferings.update({ id: offering.id, state: 'Enabled' });
  const alice = t.cloud.as(t.as.alice);
  const network = await alice.networks.create({ name: 'narrow', displayText: 'narrow', networkOfferingId: offering.id, zoneId: t.zone.id });
  const vm = await alice.vms.deploy(deployInput(t, { name: 'narrow1', networkIds: [network.id] }));
  const ip = await acquireIp(t, t.as.alice, network.id);
  return { offering, network, vm, ip };
}

/**
 * Expects `fn` to be refused with `code` (and `param`), leaving every row of the network area
 * and the router configuration of `networkIds` exactly as they were.
 */
export async function refusedWithoutTrace(t: NetworkCloud, networkIds: readonly string[], fn: () => Promise<unknown>, code: number, param?: string): Promise<CloudError> {
  const before = await networkFootprint(t.cloud);
  const configs = await Promise.all(networkIds.map((id) => routerConfigOf(t, id)));
  const error = await refused(fn, code, param);
  expect(await networkFootprint(t.cloud)).toBe(before);
  expect(await Promise.all(networkIds.map((id) => routerConfigOf(t, id)))).toEqual(configs);
  return error;
}
