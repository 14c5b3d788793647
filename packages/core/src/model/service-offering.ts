import { z } from 'zod';

/** Where a VM's or volume's disks live: shared primary storage or the host's local disks. */
export const StorageType = z.enum(['shared', 'local']);
/** `shared` or `local`. */
export type StorageType = z.infer<typeof StorageType>;

/** The system VM types a system service offering can be for. */
export const SystemVmType = z.enum(['domainrouter', 'consoleproxy', 'secondarystoragevm', 'elasticloadbalancervm']);
/** One of the system VM types. */
export type SystemVmType = z.infer<typeof SystemVmType>;

/**
 * Offering states. A deleted offering becomes `Inactive`: VMs created from it keep pointing at
 * it, but nobody can pick it again (CloudStack marks it removed rather than dropping the row).
 */
export const OfferingState = z.enum(['Active', 'Inactive']);
/** `Active` or `Inactive`. */
export type OfferingState = z.infer<typeof OfferingState>;

/** Allowed offering state transitions: only deletion, which is final. */
export const OFFERING_TRANSITIONS: Readonly<Record<OfferingState, readonly OfferingState[]>> = {
  Active: ['Inactive'],
  Inactive: [],
};

/**
 * A service (compute) offering: CPU, memory, storage type, HA and tags a VM is deployed with.
 * Names such as `m1.small` are allowed, since the EC2 interface maps instance types to offering
 * names.
 */
export const ServiceOfferingSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  name: z.string().min(1).max(255),
  displayText: z.string().min(1).max(4096),
  /** Number of virtual CPUs. */
  cpuNumber: z.number().int().positive(),
  /** Speed of each virtual CPU in MHz. */
  cpuSpeed: z.number().int().positive(),
  /** Memory in MB. */
  memory: z.number().int().positive(),
  storageType: StorageType,
  /** Whether VMs of this offering are restarted elsewhere when their host fails. */
  offerHa: z.boolean(),
  /** Whether the hypervisor caps the VM's CPU use at the offered speed. */
  limitCpuUse: z.boolean(),
  /** A host tag the VM's host must carry. */
  hostTag: z.string().optional(),
  /** Storage tags the root volume's pool must carry. */
  storageTags: z.array(z.string()),
  /** Network rate limit in Mb/s; the zone's default when absent. */
  networkRate: z.number().int().positive().optional(),
  /** The domain the offering is restricted to (with its subdomains); public when absent. */
  domainId: z.string().optional(),
  /** True for offerings of system VMs (routers, console proxies, secondary storage VMs). */
  isSystem: z.boolean(),
  /** The system VM type a system offering is for. */
  systemVmType: SystemVmType.optional(),
  /** True for the built-in offering the cloud uses by default for its system VM type. */
  defaultUse: z.boolean(),
  state: OfferingState,
  createdAt: z.string(),
});

/** A service (compute) offering. */
export type ServiceOffering = z.infer<typeof ServiceOfferingSchema>;
