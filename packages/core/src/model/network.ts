import { z } from 'zod';
import { GuestIpType } from './network-offering.js';
import type { Transitions } from './state-machine.js';

/**
 * States of a guest network (CloudStack's `Network.State`): `Allocated` when created,
 * `Implementing` while its VLAN, source NAT IP and router are being set up, `Implemented` when
 * ready, `Shutdown` while being torn down by the garbage collector (then back to `Allocated`),
 * `Destroy` while being deleted.
 */
export const NetworkState = z.enum(['Allocated', 'Implementing', 'Implemented', 'Shutdown', 'Destroy']);
/** One of the network states. */
export type NetworkState = z.infer<typeof NetworkState>;

/** Allowed moves between network states. */
export const NETWORK_TRANSITIONS: Transitions<NetworkState> = {
  Allocated: ['Implementing', 'Destroy'],
  Implementing: ['Implemented', 'Allocated'],
  Implemented: ['Shutdown', 'Implementing', 'Destroy'],
  Shutdown: ['Allocated', 'Implemented'],
  Destroy: ['Allocated', 'Implemented'],
};

/**
 * A guest network (CloudStack's `networks`). Isolated networks belong to an account and claim
 * a VLAN of their physical network when implemented; shared networks are zone-wide, domain or
 * account scoped and carry the admin's VLAN, gateway, netmask and range.
 */
export const NetworkSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  name: z.string().min(1).max(255),
  displayText: z.string().min(1).max(255),
  zoneId: z.string(),
  physicalNetworkId: z.string(),
  networkOfferingId: z.string(),
  guestType: GuestIpType,
  /** `Account` (owned by `accountId`) or `Domain` (shared by a domain, or zone-wide from ROOT). */
  aclType: z.enum(['Account', 'Domain']),
  /** The owner of an account network. */
  accountId: z.string().optional(),
  /** The owner's domain, or the domain a Domain network is shared with. */
  domainId: z.string(),
  /** For a Domain network: whether subdomains may use it too. */
  subdomainAccess: z.boolean().optional(),
  /** The guest CIDR (`10.1.1.0/24`). */
  cidr: z.string(),
  gateway: z.string(),
  netmask: z.string(),
  /** A shared network's first and last guest address. */
  startIp: z.string().optional(),
  endIp: z.string().optional(),
  /** The VLAN: given for a shared network, claimed at implementation for an isolated one. */
  vlan: z.string().optional(),
  /** Whether `vlan` was claimed from the physical network's range (and goes back at shutdown). */
  vlanClaimed: z.boolean().optional(),
  /** DNS suffix of the guests. */
  networkDomain: z.string(),
  state: NetworkState,
  /** Copied from the offering when created or changed. */
  isPersistent: z.boolean(),
  /** Set when a change needs `restartNetwork` with cleanup to take effect. */
  restartRequired: z.boolean(),
  /**
   * A basic zone's guest network: its guests take addresses from their pod's `DirectGuest`
   * ranges at each start, and each pod with running guests has its own virtual router giving
   * DHCP, DNS and user data (the zone's pods are separate layer-2 segments).
   */
  podAddressing: z.boolean().optional(),
  /** The VPC of a tier. */
  vpcId: z.string().optional(),
  /** When the garbage collector first found the network without running VMs. */
  idleSince: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A guest network as stored. */
export type Network = z.infer<typeof NetworkSchema>;
