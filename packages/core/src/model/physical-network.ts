import { z } from 'zod';
import type { Transitions } from './state-machine.js';

/** How guest traffic on a physical network is isolated. */
export const IsolationMethod = z.enum(['VLAN', 'L3', 'GRE', 'STT', 'VNS']);
/** One of the isolation methods. */
export type IsolationMethod = z.infer<typeof IsolationMethod>;

/** State of a physical network. */
export const PhysicalNetworkState = z.enum(['Disabled', 'Enabled']);
/** One of the physical network states. */
export type PhysicalNetworkState = z.infer<typeof PhysicalNetworkState>;

/** Physical network state moves: either way. */
export const PHYSICAL_NETWORK_TRANSITIONS: Transitions<PhysicalNetworkState> = {
  Disabled: ['Enabled'],
  Enabled: ['Disabled'],
};

/** An inclusive range of VLAN ids (1..4094). */
export const VlanRangeSchema = z.object({
  start: z.number().int().min(1).max(4094),
  end: z.number().int().min(1).max(4094),
});
/** An inclusive range of VLAN ids. */
export type VlanRange = z.infer<typeof VlanRangeSchema>;

/**
 * A physical network of a zone: the real network hardware one host NIC connects to. Carries
 * one or more traffic types (see `physical-network-traffic-type.ts`) and offers network
 * services through its providers (`network-service-provider.ts`). Guest VLANs are drawn from
 * its VLAN ranges; each range's ids are materialised in the claim pool
 * `guestvlan:<physicalNetworkId>`.
 */
export const PhysicalNetworkSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  zoneId: z.string(),
  name: z.string().min(1).max(255),
  isolationMethods: z.array(IsolationMethod),
  /** Guest VLAN ranges (API `vlan`, `start-end[,start-end]`). */
  vlanRanges: z.array(VlanRangeSchema),
  /** `ZONE` or `POD`: the broadcast domain of the network. */
  broadcastDomainRange: z.enum(['ZONE', 'POD']),
  /** Speed, e.g. `1G`, `10G`. */
  networkSpeed: z.string().optional(),
  tags: z.array(z.string()),
  /** The domain the network is dedicated to, if any. */
  domainId: z.string().optional(),
  state: PhysicalNetworkState,
  createdAt: z.string(),
});

/** A physical network. */
export type PhysicalNetwork = z.infer<typeof PhysicalNetworkSchema>;
