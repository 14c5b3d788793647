import { z } from 'zod';
import { HYPERVISOR_TYPES } from '../contracts/hypervisor.js';
import type { Transitions } from './state-machine.js';

/** Connection state of a host, as CloudStack's `Status`. */
export const HostState = z.enum(['Creating', 'Connecting', 'Up', 'Down', 'Disconnected', 'Alert', 'Removed', 'Error', 'Rebalancing']);
/** One of the host states. */
export type HostState = z.infer<typeof HostState>;

/** Host state moves (CloudStack's `Status` state machine, reduced to its states). */
export const HOST_STATE_TRANSITIONS: Transitions<HostState> = {
  Creating: ['Connecting', 'Error', 'Removed'],
  Connecting: ['Up', 'Disconnected', 'Alert', 'Down', 'Error', 'Removed'],
  Up: ['Disconnected', 'Alert', 'Down', 'Connecting', 'Rebalancing', 'Removed'],
  Disconnected: ['Connecting', 'Up', 'Alert', 'Down', 'Removed'],
  Alert: ['Connecting', 'Up', 'Disconnected', 'Down', 'Removed'],
  Down: ['Connecting', 'Up', 'Removed'],
  Rebalancing: ['Connecting', 'Disconnected', 'Up'],
  Error: ['Removed', 'Connecting'],
  Removed: [],
};

/** Whether a host takes work, as CloudStack's `ResourceState`. */
export const ResourceState = z.enum(['Creating', 'Enabled', 'Disabled', 'PrepareForMaintenance', 'ErrorInMaintenance', 'Maintenance', 'Error']);
/** One of the resource states. */
export type ResourceState = z.infer<typeof ResourceState>;

/** Resource state moves (CloudStack's `ResourceState` machine). */
export const RESOURCE_STATE_TRANSITIONS: Transitions<ResourceState> = {
  Creating: ['Enabled', 'Disabled', 'Error'],
  Enabled: ['Disabled', 'PrepareForMaintenance'],
  Disabled: ['Enabled', 'PrepareForMaintenance'],
  PrepareForMaintenance: ['Maintenance', 'ErrorInMaintenance', 'Enabled'],
  ErrorInMaintenance: ['PrepareForMaintenance', 'Enabled', 'Maintenance'],
  Maintenance: ['Enabled'],
  Error: ['Enabled', 'Disabled'],
};

/**
 * A hypervisor host of a cluster (CloudStack host `type` `Routing`). Resources are what the
 * host reported when it connected; the password is sealed. Allocations against the host are
 * kept in counters (see `host-usage.ts`), not on the row, so they stay atomic.
 */
export const HostSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  name: z.string(),
  /** CloudStack host type; hypervisor hosts are `Routing`. */
  type: z.literal('Routing'),
  zoneId: z.string(),
  podId: z.string(),
  clusterId: z.string(),
  hypervisorType: z.enum(HYPERVISOR_TYPES),
  /** The URL the admin added the host by. */
  url: z.string(),
  /** Unique identity the host reported (absent until it connects). */
  guid: z.string().optional(),
  ipAddress: z.string().optional(),
  username: z.string(),
  /** The password, sealed with the cloud's key. */
  passwordSealed: z.string(),
  state: HostState,
  resourceState: ResourceState,
  cpuSockets: z.number().int().min(0),
  /** Cores across sockets (API `cpunumber`). */
  cpuNumber: z.number().int().min(0),
  /** MHz per core (API `cpuspeed`). */
  cpuSpeed: z.number().int().min(0),
  /** Bytes (API `memorytotal`). */
  memoryTotal: z.number().int().min(0),
  hypervisorVersion: z.string().optional(),
  capabilities: z.array(z.string()),
  hostTags: z.array(z.string()),
  createdAt: z.string(),
  /** When the host last answered. */
  lastPinged: z.string().optional(),
  /** When the host last became disconnected. */
  disconnectedAt: z.string().optional(),
});

/** A host. */
export type Host = z.infer<typeof HostSchema>;
