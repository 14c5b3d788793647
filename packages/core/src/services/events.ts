import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import type { CallContext } from '../context/call-context.js';
import { isRootAdmin } from '../context/call-context.js';
import type { Filter, Page, Store } from '../contracts/store.js';
import type { CloudEvent } from '../model/event.js';
import { TOKENS } from '../tokens.js';
import { ConfigReader } from '../config/config-reader.js';
import { PagingInput, pageWindow } from './paging.js';
import { validate } from './validate.js';

/** Filters of {@link EventService.list}. */
export const ListEventsInput = z.object({
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
  ) {}

  /**
   * Events the caller may see, newest first: a root admin sees every event, anyone else the
   * events of their own account.
   */
  async list(caller: CallContext, input: ListEventsInput = {}): Promise<Page<CloudEvent>> {
    const query = validate(ListEventsInput, input);
    const where: Filter<CloudEvent> = {
      ...(isRootAdmin(caller) ? {} : { accountId: caller.accountId }),
      ...(query.type === undefined ? {} : { type: query.type }),
      ...(query.level === undefined ? {} : { level: query.level }),
      ...(query.resourceId === undefined ? {} : { resourceId: query.resourceId }),
      ...(query.keyword === undefined ? {} : { description: { like: query.keyword } }),
    };
    return this.store.transaction(async (tx) => {
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      return tx.repo('events').find({ where, orderBy: [{ field: 'createdAt', direction: 'desc' }], ...window });
    });
  }
}
