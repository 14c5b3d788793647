import { z } from 'zod';

/**
 * What a range of addresses is for: `Public` (per zone, NAT and source NAT for guests),
 * `DirectGuest` (per pod of a basic zone, addresses handed straight to guests) or `Storage`
 * (per pod, the storage network of the secondary storage VM).
 */
export const IpRangePurpose = z.enum(['Public', 'DirectGuest', 'Storage']);
/** One of the range purposes. */
export type IpRangePurpose = z.infer<typeof IpRangePurpose>;

/** The VLAN tag of a range that is not tagged. */
export const UNTAGGED_VLAN = 'untagged';

/**
 * A range of IPv4 addresses on one VLAN (CloudStack's `vlan` table). Ranges never overlap one
 * another or a pod's reserved range anywhere in the cloud. Each range's addresses are
 * materialised in a claim pool (see `ipRangePoolKey`), so later issues claim them atomically.
 */
export const VlanIpRangeSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  zoneId: z.string(),
  /** The pod, for `DirectGuest` and `Storage` ranges. */
  podId: z.string().optional(),
  /** The physical network carrying the range's traffic. */
  physicalNetworkId: z.string().optional(),
  purpose: IpRangePurpose,
  /** VLAN id as a string, or `untagged`. */
  vlan: z.string(),
  gateway: z.string(),
  netmask: z.string(),
  startIp: z.string(),
  endIp: z.string(),
  /** Number of addresses in the range. */
  size: z.number().int().positive(),
  /**
   * The account a public range is dedicated to: only that account draws addresses from it, and
   * its allocations try it before the zone's shared ranges. Absent for a shared range.
   */
  accountId: z.string().optional(),
  /** The dedicated account's domain. */
  domainId: z.string().optional(),
  createdAt: z.string(),
});

/** A range of addresses. */
export type VlanIpRange = z.infer<typeof VlanIpRangeSchema>;

const POOL_PREFIX: Readonly<Record<IpRangePurpose, string>> = {
  Public: 'publicip',
  DirectGuest: 'guestip',
  Storage: 'storageip',
};

/** The claim pool holding a range's addresses: `publicip:<id>`, `guestip:<id>` or `storageip:<id>`. */
export function ipRangePoolKey(range: Pick<VlanIpRange, 'id' | 'purpose'>): string {
  return `${POOL_PREFIX[range.purpose]}:${range.id}`;
}

/** The claim pool holding a pod's reserved system IPs. */
export function podIpPoolKey(podId: string): string {
  return `podip:${podId}`;
}

/** The claim pool holding a physical network's guest VLAN ids. */
export function guestVlanPoolKey(physicalNetworkId: string): string {
  return `guestvlan:${physicalNetworkId}`;
}
