import { z } from 'zod';
import { PagingInput } from './paging.js';
import { VisibilityInput } from './visibility.js';

/** Input of `listRouters`. */
export const ListRoutersInput = PagingInput.merge(VisibilityInput).extend({
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  zoneId: z.string().min(1).optional(),
  podId: z.string().min(1).optional(),
  hostId: z.string().min(1).optional(),
  networkId: z.string().min(1).optional(),
  state: z.enum(['Starting', 'Running', 'Stopping', 'Stopped', 'Error']).optional(),
  keyword: z.string().optional(),
});
/** Input of `listRouters`. */
export type ListRoutersInput = z.input<typeof ListRoutersInput>;

/** A router by id. */
export const RouterIdInput = z.object({ id: z.string().min(1) });
/** A router by id. */
export type RouterIdInput = z.input<typeof RouterIdInput>;

/** Input of `stopRouter`. */
export const StopRouterInput = RouterIdInput.extend({ forced: z.boolean().default(false) });
/** Input of `stopRouter`. */
export type StopRouterInput = z.input<typeof StopRouterInput>;
