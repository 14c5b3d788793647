import { z } from 'zod';
import { HYPERVISOR_TYPES } from '../contracts/hypervisor.js';
import { AllocationState } from './allocation-state.js';
import type { Transitions } from './state-machine.js';

/** Whether CloudStack manages the cluster. */
export const ManagedState = z.enum(['Managed', 'PrepareUnmanaged', 'Unmanaged', 'PrepareUnmanagedError']);
/** One of the managed states. */
export type ManagedState = z.infer<typeof ManagedState>;

/** Managed-state moves. */
export const MANAGED_STATE_TRANSITIONS: Transitions<ManagedState> = {
  Managed: ['PrepareUnmanaged', 'Unmanaged'],
  PrepareUnmanaged: ['Unmanaged', 'PrepareUnmanagedError'],
  PrepareUnmanagedError: ['Managed', 'PrepareUnmanaged'],
  Unmanaged: ['Managed'],
};

/** The vCenter a vSphere cluster is managed through; the password is sealed. */
export const VCenterSchema = z.object({
  host: z.string().min(1),
  username: z.string().min(1),
  /** The password, sealed with the cloud's key. */
  passwordSealed: z.string(),
  datacenter: z.string().min(1),
});

/** A vSphere cluster's vCenter. */
export type VCenter = z.infer<typeof VCenterSchema>;

/**
 * A cluster: hosts of one hypervisor type sharing primary storage, within a pod. A vSphere
 * cluster is one preconfigured in vCenter, named as it is there.
 */
export const ClusterSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  zoneId: z.string(),
  podId: z.string(),
  name: z.string().min(1).max(255),
  hypervisorType: z.enum(HYPERVISOR_TYPES),
  /** `CloudManaged` (KVM, XenServer, Simulator) or `ExternalManaged` (vSphere). */
  clusterType: z.enum(['CloudManaged', 'ExternalManaged']),
  allocationState: AllocationState,
  managedState: ManagedState,
  vcenter: VCenterSchema.optional(),
  createdAt: z.string(),
});

/** A cluster. */
export type Cluster = z.infer<typeof ClusterSchema>;
