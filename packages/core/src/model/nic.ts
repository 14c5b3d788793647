import { z } from 'zod';

/**
 * A VM's network interface (reference §5 `nic`): its MAC, claimed from the zone's MAC pool at
 * deploy and kept until the VM is expunged, and — in a basic zone — a direct IPv4 address
 * claimed from the pod's `DirectGuest` range (pool `ipPool`) each time the VM starts in that
 * pod and released when it stops, as CloudStack's pod-scoped direct networks do.
 */
export const NicSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  vmId: z.string(),
  zoneId: z.string(),
  /** Device number on the VM (0 for the default NIC). */
  deviceId: z.number().int().min(0),
  macAddress: z.string(),
  ipAddress: z.string().optional(),
  netmask: z.string().optional(),
  gateway: z.string().optional(),
  /** VLAN id, or `untagged` (set with the address). */
  vlan: z.string().optional(),
  /**
   * The guest network the NIC is on. Its address is claimed from the network's pool when the NIC
   * is created and kept until the VM is expunged or the NIC removed; a NIC without a network is
   * a basic zone's, whose address comes from the pod at each start.
   */
  networkId: z.string().optional(),
  /** The claim pool the address came from (`guestip:<rangeId>`, `guestnetip:<networkId>`), to give it back. */
  ipPool: z.string().optional(),
  trafficType: z.enum(['Guest']),
  /** `Shared` for a basic zone's direct network. */
  type: z.enum(['Shared', 'Isolated']),
  isDefault: z.boolean(),
  createdAt: z.string(),
});

/** A NIC as stored. */
export type Nic = z.infer<typeof NicSchema>;
