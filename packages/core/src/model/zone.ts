import { z } from 'zod';
import { AllocationState } from './allocation-state.js';

/** A zone's network model, fixed for the zone's life. */
export const NetworkType = z.enum(['Basic', 'Advanced']);
/** `Basic` or `Advanced`. */
export type NetworkType = z.infer<typeof NetworkType>;

/**
 * A zone: typically one datacenter, with its pods, clusters, hosts, primary and secondary
 * storage. Public to all users, or dedicated to one domain (and its subdomains).
 */
export const ZoneSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  name: z.string().min(1).max(255),
  description: z.string().optional(),
  /** The region the zone belongs to. */
  regionId: z.string(),
  networkType: NetworkType,
  /** DNS servers for guest VMs (reached over the public network). */
  dns1: z.string(),
  dns2: z.string().optional(),
  /** DNS servers for system VMs (reached over the management network). */
  internalDns1: z.string(),
  internalDns2: z.string().optional(),
  /** The CIDR guest networks use (advanced zones; API `guestcidraddress`). */
  guestCidr: z.string().optional(),
  /** DNS suffix of the zone's guest networks. */
  networkDomain: z.string().optional(),
  /** The domain the zone is dedicated to; absent for a public zone. */
  domainId: z.string().optional(),
  allocationState: AllocationState,
  /** Whether VMs may use hosts' local disks. */
  localStorageEnabled: z.boolean(),
  /** Whether guest isolation is by security groups (basic zones with the SG offering). */
  securityGroupsEnabled: z.boolean(),
  createdAt: z.string(),
});

/** A zone. */
export type Zone = z.infer<typeof ZoneSchema>;
