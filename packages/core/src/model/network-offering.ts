import { z } from 'zod';
import { NETWORK_SERVICES } from '../contracts/network-element.js';

/** A guest network's IP type: `Isolated` (account-owned, behind NAT) or `Shared` (direct, admin-given range). */
export const GuestIpType = z.enum(['Isolated', 'Shared']);
/** One of the guest IP types. */
export type GuestIpType = z.infer<typeof GuestIpType>;

/** Load-balancing algorithms CloudStack's providers support. */
export const LB_ALGORITHMS = ['roundrobin', 'leastconn', 'source'] as const;
/** One of {@link LB_ALGORITHMS}. */
export type LbAlgorithm = (typeof LB_ALGORITHMS)[number];

/** Stickiness methods (guide 13.14.4.1): load-balancer cookie, application cookie, source based. */
export const STICKINESS_METHODS = ['LbCookie', 'AppCookie', 'SourceBased'] as const;
/** One of {@link STICKINESS_METHODS}. */
export type StickinessMethod = (typeof STICKINESS_METHODS)[number];

/** One service of an offering and the provider that gives it. */
export const OfferedServiceSchema = z.object({
  service: z.enum(NETWORK_SERVICES),
  provider: z.string().min(1),
});
/** One service of an offering and its provider. */
export type OfferedService = z.infer<typeof OfferedServiceSchema>;

/**
 * A network offering (CloudStack's `network_offerings` + `ntwk_offering_service_map`): the
 * services a guest network of this offering gets and who provides each, its capabilities, and
 * how networks of it behave (conserve mode, persistence, VLAN given by the admin or claimed).
 */
export const NetworkOfferingSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  /** Unique name (`DefaultIsolatedNetworkOfferingWithSourceNatService`). */
  name: z.string().min(1).max(64),
  displayText: z.string().min(1).max(255),
  guestIpType: GuestIpType,
  trafficType: z.enum(['Guest']),
  services: z.array(OfferedServiceSchema),
  /** `peraccount` (one source NAT IP per network) or `perzone` (shared by the zone's networks). */
  sourceNatType: z.enum(['peraccount', 'perzone']).optional(),
  /** Algorithms the Lb provider supports. */
  lbAlgorithms: z.array(z.enum(LB_ALGORITHMS)),
  /** Stickiness methods the Lb provider supports. */
  stickinessMethods: z.array(z.enum(STICKINESS_METHODS)),
  /** Elastic IP (basic zones with NetScaler): a public IP per VM, statically NATed. */
  elasticIp: z.boolean(),
  /** Elastic load balancing (basic zones with NetScaler). */
  elasticLb: z.boolean(),
  /** Conserve mode: one public IP may carry rules of several purposes (LB and port forwarding). */
  conserveMode: z.boolean(),
  /** Networks of a persistent offering are implemented at creation and never garbage-collected. */
  isPersistent: z.boolean(),
  /** The admin gives the VLAN when creating a network of it (shared networks). */
  specifyVlan: z.boolean(),
  /** The admin gives the IP range when creating a network of it (shared networks). */
  specifyIpRanges: z.boolean(),
  /** `Required`: a network of it is created for an account's first VM in a zone without one. */
  availability: z.enum(['Required', 'Optional']),
  state: z.enum(['Enabled', 'Disabled']),
  /** Shipped with the cloud (cannot be deleted). */
  isDefault: z.boolean(),
  /** For VPC tiers only. */
  forVpc: z.boolean(),
  /** The system offering of the virtual routers of networks of it; the default router offering when absent. */
  serviceOfferingId: z.string().optional(),
  /** Data rate in Mbps; unlimited when absent. */
  networkRate: z.number().int().positive().optional(),
  tags: z.string().optional(),
  createdAt: z.string(),
});

/** A network offering as stored. */
export type NetworkOffering = z.infer<typeof NetworkOfferingSchema>;

/** Whether an offering has `service`, and with which provider. */
export function providerOf(offering: Pick<NetworkOffering, 'services'>, service: OfferedService['service']): string | undefined {
  return offering.services.find((s) => s.service === service)?.provider;
}
