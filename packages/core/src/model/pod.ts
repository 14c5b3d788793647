import { z } from 'zod';
import { AllocationState } from './allocation-state.js';

/**
 * A pod: usually one rack, its hosts on one subnet. The pod's CIDR (gateway + netmask) must not
 * overlap another pod's anywhere in the cloud, and its reserved system IP range (`startIp` to
 * `endIp`, inside the CIDR) is what system VMs get management addresses from; those addresses
 * are materialised in the claim pool `podip:<podId>`.
 */
export const PodSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  zoneId: z.string(),
  name: z.string().min(1).max(255),
  /** Gateway of the hosts in the pod. */
  gateway: z.string(),
  /** Dotted netmask of the pod's subnet. */
  netmask: z.string(),
  /** The pod's subnet, `a.b.c.d/n`. */
  cidr: z.string(),
  /** First reserved system IP. */
  startIp: z.string(),
  /** Last reserved system IP. */
  endIp: z.string(),
  allocationState: AllocationState,
  createdAt: z.string(),
});

/** A pod. */
export type Pod = z.infer<typeof PodSchema>;
