import { z } from 'zod';

/**
 * States of a public IP address (CloudStack's `IpAddress.State`): `Allocating` while it is being
 * acquired, `Allocated` once the account holds it, `Releasing` while its rules are being removed
 * from the provider. A free address has no row: it waits in its range's claim pool.
 */
export const PublicIpState = z.enum(['Allocating', 'Allocated', 'Releasing', 'Free']);
/** One of the public IP states. */
export type PublicIpState = z.infer<typeof PublicIpState>;

/** What a public IP is used for: one purpose at a time (several only in conserve mode for Lb and PortForwarding). */
export const IpPurpose = z.enum(['SourceNat', 'StaticNat', 'PortForwarding', 'Lb', 'Firewall', 'Vpn']);
/** One of the IP purposes. */
export type IpPurpose = z.infer<typeof IpPurpose>;

/**
 * A public IP address held by an account (CloudStack's `user_ip_address`), associated with one
 * isolated network. Its address is claimed from a `Public` range's pool and counts against the
 * account's `public_ip` limit.
 */
export const PublicIpSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  address: z.string(),
  zoneId: z.string(),
  /** The `Public` range the address came from, and that range's VLAN, gateway and netmask. */
  rangeId: z.string(),
  vlan: z.string(),
  gateway: z.string(),
  netmask: z.string(),
  accountId: z.string(),
  domainId: z.string(),
  /** The guest network it is associated with. */
  networkId: z.string().optional(),
  /** The VPC it is associated with. */
  vpcId: z.string().optional(),
  state: PublicIpState,
  /** The network's source NAT address. */
  isSourceNat: z.boolean(),
  /** Static NAT: the VM and NIC the address is mapped one-to-one to. */
  staticNatVmId: z.string().optional(),
  staticNatNicId: z.string().optional(),
  /** The VM's guest address the static NAT maps to. */
  staticNatVmIp: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A public IP address as stored. */
export type PublicIp = z.infer<typeof PublicIpSchema>;
