import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import type { CallContext } from '../context/call-context.js';
import type { Filter, Page, Store } from '../contracts/store.js';
import type { CloudEvent } from '../model/event.js';
import { TOKENS } from '../tokens.js';
import { ConfigReader } from '../config/config-reader.js';
import { PagingInput, pageWindow } from './paging.js';
import { validate } from './validate.js';
import { Visibility, VisibilityInput } from './visibility.js';

/** Filters of {@link EventService.list}, with the account and domain scoping of every list. */
export const ListEventsInput = VisibilityInput.extend({
  id: z.string().min(1).optional(),
  type: z.string().optional(),
  level: z.enum(['INFO', 'WARN', 'ERROR']).optional(),
  resourceId: z.string().optional(),
  keyword: z.string().optional(),
}).extend(PagingInput.shape);

/** Filters of {@link EventService.list}. */
export type ListEventsInput = z.input<typeof ListEventsInput>;

/** Lists the events a caller may see. */
@injectable()
export class EventService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
  ) {}

  /**
   * Events the caller may see under the shared visibility rule, newest first: its own
   * account's; with `listAll` an admin's domain subtree (a root admin's: everything).
   */
  async list(caller: CallContext, input: ListEventsInput = {}): Promise<Page<CloudEvent>> {
    const query = validate(ListEventsInput, input);
    return this.store.transaction(async (tx) => {
      const scope = await this.visibility.scope(tx, caller, query);
      const where: Filter<CloudEvent> = {
        ...this.visibility.ownerFilter(scope),
        ...(query.id === undefined ? {} : { id: query.id }),
        ...(query.type === undefined ? {} : { type: query.type }),
        ...(query.level === undefined ? {} : { level: query.level }),
        ...(query.resourceId === undefined ? {} : { resourceId: query.resourceId }),
        ...(query.keyword === undefined ? {} : { description: { like: query.keyword } }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      return tx.repo('events').find({ where, orderBy: [{ field: 'createdAt', direction: 'desc' }], ...window });
    });
  }
}
