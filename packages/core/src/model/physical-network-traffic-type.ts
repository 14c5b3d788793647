import { z } from 'zod';

/** The traffic types a physical network carries. */
export const TrafficType = z.enum(['Guest', 'Management', 'Public', 'Storage']);
/** One of the traffic types. */
export type TrafficType = z.infer<typeof TrafficType>;

/**
 * A traffic type carried by a physical network, with the label each hypervisor knows the
 * network by (a XenServer network name-label, a KVM bridge, a vSphere vSwitch). Labels must
 * match what is configured on the hosts.
 */
export const PhysicalNetworkTrafficTypeSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  physicalNetworkId: z.string(),
  zoneId: z.string(),
  trafficType: TrafficType,
  /** Label on KVM hosts (API `kvmnetworklabel`). */
  kvmLabel: z.string().optional(),
  /** Label on XenServer hosts (API `xennetworklabel`). */
  xenLabel: z.string().optional(),
  /** Label on vSphere hosts (API `vmwarenetworklabel`). */
  vmwareLabel: z.string().optional(),
  /** Label on simulator hosts. */
  simulatorLabel: z.string().optional(),
  createdAt: z.string(),
});

/** A traffic type on a physical network. */
export type PhysicalNetworkTrafficType = z.infer<typeof PhysicalNetworkTrafficTypeSchema>;
