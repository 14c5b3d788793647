import { z } from 'zod';
import { HYPERVISOR_TYPES } from '../contracts/hypervisor.js';
import type { Transitions } from './state-machine.js';

/**
 * States of a user VM (reference §5 `virtualmachine.state`): `Starting`, `Stopping`,
 * `Migrating` and `Expunging` are intents recorded before a driver call; `Error` is where a
 * deployment whose first start failed rests, holding no host, address or MAC.
 */
export const VmState = z.enum(['Stopped', 'Starting', 'Running', 'Stopping', 'Migrating', 'Destroyed', 'Expunging', 'Error']);
/** One of the VM states. */
export type VmState = z.infer<typeof VmState>;

/**
 * Allowed moves between VM states. A start goes Stopped → Starting → Running (or back to
 * Stopped / to Error on failure); a stop Running → Stopping → Stopped; destroy Stopped/Error →
 * Destroyed (a running VM is stopped first); recover Destroyed → Stopped; expunge Destroyed /
 * Error → Expunging, after which the row goes. Running → Stopped is reconciliation finding the
 * VM off.
 */
export const VM_TRANSITIONS: Transitions<VmState> = {
  Stopped: ['Starting', 'Destroyed', 'Expunging', 'Migrating', 'Error'],
  Starting: ['Running', 'Stopped', 'Error'],
  Running: ['Stopping', 'Migrating', 'Stopped', 'Error'],
  Stopping: ['Stopped', 'Running', 'Error'],
  Migrating: ['Running', 'Stopped', 'Error'],
  Destroyed: ['Stopped', 'Expunging'],
  Expunging: ['Destroyed', 'Error'],
  Error: ['Destroyed', 'Expunging', 'Stopped'],
};

/** Largest user data accepted, decoded (32 KB). */
export const USER_DATA_MAX_BYTES = 32 * 1024;

/** What a running (or starting) VM holds on its host and pool, as the planner reserved it. */
export const VmReservationSchema = z.object({
  zoneId: z.string(),
  podId: z.string(),
  clusterId: z.string(),
  hostId: z.string(),
  poolId: z.string(),
  accountId: z.string().optional(),
  amounts: z.object({ cpuMhz: z.number().int().min(0), memoryBytes: z.number().int().min(0), diskBytes: z.number().int().min(0) }),
});
/** A VM's host reservation. */
export type VmReservation = z.infer<typeof VmReservationSchema>;

/**
 * A user VM (CloudStack's `vm_instance` + `user_vm`). Field names follow the API's
 * `virtualmachine` object (reference §5): `name` is the API's `name`, `instanceName` the
 * hypervisor's (`i-<seq>-VM`), `memory` in MB.
 */
export const VirtualMachineSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  /** The VM's name (hostname), unique per account. */
  name: z.string().min(1).max(63),
  /** The hypervisor's name for it, unique in the cloud. */
  instanceName: z.string(),
  displayName: z.string().min(1).max(255),
  /** The group the owner filed it under. */
  group: z.string().max(255).optional(),
  accountId: z.string(),
  domainId: z.string(),
  zoneId: z.string(),
  /** Where it runs (while Starting/Running/Stopping). */
  podId: z.string().optional(),
  clusterId: z.string().optional(),
  hostId: z.string().optional(),
  /** The host it last ran on (kept while stopped: the root disk's cluster). */
  lastHostId: z.string().optional(),
  serviceOfferingId: z.string(),
  templateId: z.string(),
  guestOsId: z.string(),
  hypervisorType: z.enum(HYPERVISOR_TYPES),
  /**
   * True for a VM deployed from an ISO without a `hypervisor`: until its first placement
   * `hypervisorType` is only provisional (a hypervisor of the zone's clusters) and the planner
   * may use any hypervisor the zone has; the first start records the chosen cluster's and
   * clears this flag.
   */
  hypervisorPending: z.boolean().optional(),
  /**
   * The ISO attached as the VM's CD-ROM: the bootable ISO it was deployed from, or one attached
   * by `attachIso` (one at a time). A change while Running reaches the host at the next start.
   */
  isoId: z.string().optional(),
  cpuNumber: z.number().int().positive(),
  cpuSpeed: z.number().int().positive(),
  /** Memory in MB. */
  memory: z.number().int().positive(),
  haEnabled: z.boolean(),
  /** The pool the root disk is on, and its size in bytes (counted in the pool's allocation). */
  rootPoolId: z.string().optional(),
  rootDiskBytes: z.number().int().min(0),
  /** Base64 user data (≤ 32 KB decoded). */
  userData: z.string().optional(),
  /** The SSH key pair's name, and the public key injected. */
  keyPair: z.string().optional(),
  sshPublicKey: z.string().optional(),
  passwordEnabled: z.boolean(),
  state: VmState,
  /** The host reservation held while Starting/Running/Stopping. */
  reservation: VmReservationSchema.optional(),
  /** The target host's reservation held while `Migrating` (released if the migration fails). */
  migrationReservation: VmReservationSchema.optional(),
  /**
   * A password set by `resetPasswordForVirtualMachine`, sealed with the cloud's key, handed to
   * the guest at its next start and then cleared; never stored in the clear.
   */
  pendingPasswordSealed: z.string().optional(),
  createdAt: z.string(),
  /** When it was destroyed (expunge is due `expunge.delay` seconds later). */
  destroyedAt: z.string().optional(),
  updatedAt: z.string(),
});

/** A user VM as stored. */
export type VirtualMachine = z.infer<typeof VirtualMachineSchema>;
