import type { AreaModule } from './area-module.js';

/** The caller-bound services of the virtual-machine area. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VmServices {}

/** Virtual machines, volumes and snapshots: the whole lifecycle. */
export const vmsModule: AreaModule<VmServices> = {
  name: 'vms',
  services: [],
  facade: () => ({}),
};
