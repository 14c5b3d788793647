import type { PublicIp, RemoteAccessVpn, VpnUser } from '../../src/index.js';
import { aliceOnline } from './addresses-fixtures.js';
import { deployInput, networkFootprint, routerConfigOf, type NetworkCloud } from './network-fixtures.js';

/**
 * A network cloud where alice has a VM on her default isolated network (implemented, with a
 * running router), and that network's source NAT address.
 */
export async function aliceWithSourceNat(options: Parameters<typeof aliceOnline>[0] = {}) {
  const online = await aliceOnline(options);
  const sourceNat = await sourceNatOf(online.t, online.network.id);
  return { ...online, sourceNat };
}

/** The source NAT address of a network, straight from the store. */
export async function sourceNatOf(t: NetworkCloud, networkId: string): Promise<PublicIp> {
  const ip = await t.cloud.store.transaction((tx) => tx.repo('publicIps').findOne({ networkId, isSourceNat: true }));
  if (ip === undefined) throw new Error(`network ${networkId} has no source NAT address`);
  return ip;
}

/** A second isolated network of alice's, implemented by a VM deployed on it, and its source NAT address. */
export async function aliceSecondNetwork(t: NetworkCloud) {
  const alice = t.cloud.as(t.as.alice);
  const network = await alice.networks.create({ name: 'n2', displayText: 'n2', networkOfferingId: t.isolatedOffering.id, zoneId: t.zone.id, gateway: '10.2.0.1', netmask: '255.255.255.0' });
  await alice.vms.deploy(deployInput(t, { name: 'other', networkIds: [network.id] }));
  return { network, sourceNat: await sourceNatOf(t, network.id) };
}

/** Every VPN and VPN user row, straight from the store. */
export async function vpnRows(t: NetworkCloud): Promise<{ vpns: RemoteAccessVpn[]; users: VpnUser[] }> {
  return t.cloud.store.transaction(async (tx) => ({ vpns: (await tx.repo('remoteAccessVpns').find()).items, users: (await tx.repo('vpnUsers').find()).items }));
}

/** The network area's footprint plus the VPN area's rows: what a refusal must leave as it was. */
export async function vpnFootprint(t: NetworkCloud): Promise<string> {
  return JSON.stringify({ network: JSON.parse(await networkFootprint(t.cloud)) as unknown, vpn: await vpnRows(t) });
}

/** The VPN part of the configuration the simulator's router of `networkId` enforces now. */
export async function routerVpn(t: NetworkCloud, networkId: string) {
  return (await routerConfigOf(t, networkId))?.vpn;
}

/**
 * The VPN footprint without row versions, update times and the routers' configuration
 * generations: what an undone change must leave as it was (undoing writes rows back, and a
 * router told twice counts two generations).
 */
export async function settledVpnFootprint(t: NetworkCloud): Promise<unknown> {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'version' && k !== 'updatedAt' && k !== 'configGeneration').map(([k, v]) => [k, strip(v)]));
    return value;
  };
  return strip(JSON.parse(await vpnFootprint(t)));
}
