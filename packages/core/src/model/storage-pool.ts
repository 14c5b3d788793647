import { z } from 'zod';
import { HYPERVISOR_TYPES } from '../contracts/hypervisor.js';
import { STORAGE_PROTOCOLS } from '../contracts/storage.js';
import type { Transitions } from './state-machine.js';

/** State of a primary storage pool, as CloudStack's `StoragePoolStatus`. */
export const StoragePoolState = z.enum(['Creating', 'Up', 'PrepareForMaintenance', 'ErrorInMaintenance', 'Maintenance', 'Removed']);
/** One of the pool states. */
export type StoragePoolState = z.infer<typeof StoragePoolState>;

/** Pool state moves. */
export const STORAGE_POOL_TRANSITIONS: Transitions<StoragePoolState> = {
  Creating: ['Up', 'Removed'],
  Up: ['PrepareForMaintenance', 'Removed'],
  PrepareForMaintenance: ['Maintenance', 'ErrorInMaintenance', 'Up'],
  ErrorInMaintenance: ['PrepareForMaintenance', 'Up'],
  Maintenance: ['Up', 'Removed'],
  Removed: [],
};

/**
 * A primary storage pool of a cluster: where the cluster's VMs' disks live. Capacity and use are
 * what the device last reported; allocations are kept in a counter (`pool-usage` keys).
 */
export const StoragePoolSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  zoneId: z.string(),
  podId: z.string(),
  clusterId: z.string(),
  name: z.string().min(1).max(255),
  protocol: z.enum(STORAGE_PROTOCOLS),
  hypervisorType: z.enum(HYPERVISOR_TYPES),
  /** Storage server or vCenter (API `ipaddress`). */
  server: z.string().optional(),
  path: z.string().optional(),
  iqn: z.string().optional(),
  lun: z.number().int().min(0).optional(),
  srNameLabel: z.string().optional(),
  /** The pool's URL (`nfs://server/path`, `iscsi://server/iqn/lun`, ...), unique in its cluster. */
  url: z.string(),
  tags: z.array(z.string()),
  /** Bytes (API `disksizetotal`). */
  capacityBytes: z.number().int().min(0),
  /** Bytes in use on the device (API `disksizeused`). */
  usedBytes: z.number().int().min(0),
  state: StoragePoolState,
  createdAt: z.string(),
});

/** A primary storage pool. */
export type StoragePool = z.infer<typeof StoragePoolSchema>;
