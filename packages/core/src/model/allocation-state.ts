import { z } from 'zod';
import type { Transitions } from './state-machine.js';

/**
 * Whether a zone, pod, cluster or host takes new allocations. A zone starts `Disabled` while
 * it is set up and is enabled when the admin is done, as the add-zone wizard's last step does.
 */
export const AllocationState = z.enum(['Disabled', 'Enabled']);
/** One of the allocation states. */
export type AllocationState = z.infer<typeof AllocationState>;

/** Allocation state moves: either way. */
export const ALLOCATION_STATE_TRANSITIONS: Transitions<AllocationState> = {
  Disabled: ['Enabled'],
  Enabled: ['Disabled'],
};
