import type { PublicIp } from '../../src/index.js';
import { deployInput, networkCloud, networkFootprint, type NetworkCloud } from './network-fixtures.js';

/**
 * A network cloud where alice has deployed `vms` VMs (web1, web2, …) on her default isolated
 * network, which is implemented with a running router.
 */
export async function aliceOnline(options: Parameters<typeof networkCloud>[0] & { vms?: number } = {}) {
  const { vms: count = 1, ...rest } = options;
  const t = await networkCloud(rest);
  const alice = t.cloud.as(t.as.alice);
  const vms = [];
  for (let i = 1; i <= count; i += 1) vms.push(await alice.vms.deploy(deployInput(t, { name: `web${i}` })));
  const network = (await alice.networks.list({})).items[0];
  if (network === undefined) throw new Error('alice has no network');
  return { t, alice, vms, network };
}

/** The public IP row with this id, straight from the store. */
export async function ipRow(t: NetworkCloud, id: string): Promise<PublicIp | undefined> {
  return t.cloud.store.transaction((tx) => tx.repo('publicIps').get(id));
}

/** The `public_ip` count of an account. */
export async function publicIpCount(t: NetworkCloud, accountId: string): Promise<number> {
  const [limit] = await t.cloud.system.resourceLimits.list({ accountId, resourceType: 'public_ip' });
  return limit?.used ?? -1;
}

/** Events of a type, oldest first. */
export async function eventsOf(t: NetworkCloud, type: string): Promise<{ description: string; accountId: string; resourceId?: string }[]> {
  return t.cloud.store.transaction(async (tx) => (await tx.repo('events').find({ where: { type }, orderBy: [{ field: 'createdAt' }, { field: 'id' }] })).items);
}

/**
 * The network footprint without row versions and update times: what a rolled-back change must
 * leave as it was (the rollback itself writes rows back, which bumps their versions).
 */
export async function settledFootprint(t: NetworkCloud): Promise<unknown> {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'version' && k !== 'updatedAt').map(([k, v]) => [k, strip(v)]));
    return value;
  };
  return strip(JSON.parse(await networkFootprint(t.cloud)));
}
