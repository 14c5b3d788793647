import { z } from 'zod';
import { HYPERVISOR_TYPES } from '../contracts/hypervisor.js';
import { StorageType, type ServiceOffering } from '../model/service-offering.js';

/**
 * What already failed for this deployment and must not be tried again (CloudStack's
 * `ExcludeList`): a retry after a host refused to start the VM passes the host here.
 */
export const AvoidSetSchema = z.object({
  /** Hosts to skip. */
  hosts: z.array(z.string()).default([]),
  /** Primary storage pools to skip. */
  pools: z.array(z.string()).default([]),
  /** Clusters to skip. */
  clusters: z.array(z.string()).default([]),
  /** Pods to skip. */
  pods: z.array(z.string()).default([]),
});
/** An avoid set, defaults applied. */
export type AvoidSet = z.output<typeof AvoidSetSchema>;

/**
 * What the deployment planner places: the VM's needs (from its service offering and template)
 * and the constraints of this deployment. The VM issue builds it with
 * {@link deploymentRequestFor}; admins may narrow it to a pod, a cluster or one host.
 */
export const DeploymentRequestSchema = z.object({
  /** The zone to deploy in. */
  zoneId: z.string().min(1),
  /** Only hosts of this pod (admins). */
  podId: z.string().min(1).optional(),
  /** Only hosts of this cluster (admins). */
  clusterId: z.string().min(1).optional(),
  /** Exactly this host (admins' `hostid`); no other host is tried when it cannot take the VM. */
  requestedHostId: z.string().min(1).optional(),
  /** The template's hypervisor; any when absent (an ISO boot). */
  hypervisorType: z.enum(HYPERVISOR_TYPES).optional(),
  /** Virtual CPUs. */
  cpuNumber: z.number().int().positive(),
  /** MHz of each virtual CPU. */
  cpuSpeed: z.number().int().positive(),
  /** Memory in MB. */
  memoryMb: z.number().int().positive(),
  /** Bytes the root volume takes on the pool. */
  diskBytes: z.number().int().min(0).default(0),
  /** A tag the host must carry (the offering's host tag). */
  hostTag: z.string().min(1).optional(),
  /** Tags the storage pool must carry (the offering's storage tags). */
  storageTags: z.array(z.string().min(1)).default([]),
  /** Shared or host-local primary storage (the offering's storage type). */
  storageType: StorageType.default('shared'),
  /** Whether the VM is HA-enabled (the offering's `offerHa`). */
  offerHa: z.boolean().default(false),
  /** True when the HA manager restarts the VM after its host failed: `ha.tag` hosts may then be used. */
  forHaRestart: z.boolean().default(false),
  /** True for system VMs (routers, console proxies, secondary storage VMs). */
  systemVm: z.boolean().default(false),
  /** The VM's owner, for the user-dispersing allocator and per-account host counters. */
  accountId: z.string().min(1).optional(),
  /** What already failed for this deployment. */
  avoid: AvoidSetSchema.default({ hosts: [], pools: [], clusters: [], pods: [] }),
});
/** A deployment request as callers write it. */
export type DeploymentRequestInput = z.input<typeof DeploymentRequestSchema>;
/** A deployment request with defaults applied. */
export type DeploymentRequest = z.output<typeof DeploymentRequestSchema>;

/** The parts of a request that do not come from the offering. */
export type DeploymentRequestExtras = Omit<DeploymentRequestInput, 'cpuNumber' | 'cpuSpeed' | 'memoryMb' | 'hostTag' | 'storageTags' | 'storageType' | 'offerHa' | 'systemVm'>;

/** A request for a VM of `offering`: CPU, memory, host tag, storage tags and type, HA from the offering. */
export function deploymentRequestFor(offering: ServiceOffering, extras: DeploymentRequestExtras): DeploymentRequestInput {
  return {
    ...extras,
    cpuNumber: offering.cpuNumber,
    cpuSpeed: offering.cpuSpeed,
    memoryMb: offering.memory,
    ...(offering.hostTag === undefined ? {} : { hostTag: offering.hostTag }),
    storageTags: offering.storageTags,
    storageType: offering.storageType,
    offerHa: offering.offerHa,
    systemVm: offering.isSystem,
  };
}
