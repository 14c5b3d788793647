import type { AreaModule } from './area-module.js';

/** The caller-bound services of the allocation area. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AllocationServices {}

/** The deployment planner, host and storage-pool allocators, and the IP/VLAN/MAC allocators. */
export const allocationModule: AreaModule<AllocationServices> = {
  name: 'allocation',
  services: [],
  facade: () => ({}),
};
