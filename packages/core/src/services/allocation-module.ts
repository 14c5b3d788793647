import { CapacityIndex } from '../alloc/capacity-index.js';
import { CapacityReservations } from '../alloc/capacity-reservations.js';
import { DeploymentPlanner } from '../alloc/deployment-planner.js';
import { FirstFitHostAllocator } from '../alloc/first-fit-host-allocator.js';
import { GuestIpAllocator } from '../alloc/guest-ip-allocator.js';
import { GuestVlanAllocator } from '../alloc/guest-vlan-allocator.js';
import { HostAllocators } from '../alloc/host-allocators.js';
import { MacAllocator } from '../alloc/mac-allocator.js';
import { PlacementService } from '../alloc/placement-service.js';
import { PodIpAllocator } from '../alloc/pod-ip-allocator.js';
import { PublicIpAllocator } from '../alloc/public-ip-allocator.js';
import { RandomHostAllocator } from '../alloc/random-host-allocator.js';
import { StoragePoolAllocator } from '../alloc/storage-pool-allocator.js';
import { UserDispersingHostAllocator } from '../alloc/user-dispersing-host-allocator.js';
import type { AreaModule } from './area-module.js';
import { bindCaller, type BoundService } from './bind-caller.js';

/** The caller-bound services of the allocation area. */
export interface AllocationServices {
  /** "Where would this VM go" for admins (a dry run of the deployment planner). */
  readonly placement: BoundService<PlacementService>;
}

/**
 * The deployment planner, host and storage-pool allocators, and the IP/VLAN/MAC allocators,
 * registered as singletons (the capacity index is per cloud). Other areas resolve
 * `DeploymentPlanner`, `CapacityReservations` and the address allocators from the container
 * and call them inside their own transactions.
 */
export const allocationModule: AreaModule<AllocationServices> = {
  name: 'allocation',
  services: [
    CapacityIndex,
    CapacityReservations,
    FirstFitHostAllocator,
    RandomHostAllocator,
    UserDispersingHostAllocator,
    HostAllocators,
    StoragePoolAllocator,
    DeploymentPlanner,
    PublicIpAllocator,
    GuestIpAllocator,
    PodIpAllocator,
    GuestVlanAllocator,
    MacAllocator,
    PlacementService,
  ],
  facade: (container, caller) => ({
    placement: bindCaller(container.resolve(PlacementService), caller),
  }),
};
