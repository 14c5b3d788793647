import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import type { CallContext } from '../context/call-context.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store } from '../contracts/store.js';
import { OS_TYPE_SEED, osCategoryId, type OsCategory, type OsType } from '../model/os-type.js';
import { TOKENS } from '../tokens.js';
import { validate } from './validate.js';

/** Input of {@link OsTypeService.list}. */
export const ListOsTypesInput = z.object({
  id: z.string().min(1).optional(),
  category: z.string().min(1).optional(),
  /** The category by its id ({@link osCategoryId}); an unknown id matches nothing. */
  categoryId: z.string().min(1).optional(),
  description: z.string().min(1).optional(),
});
/** Input of {@link OsTypeService.list}. */
export type ListOsTypesInput = z.input<typeof ListOsTypesInput>;

/** Input of {@link OsTypeService.listCategories}. */
export const ListOsCategoriesInput = z.object({
  id: z.string().min(1).optional(),
  /** Exact name, in any case. */
  name: z.string().min(1).optional(),
});
/** Input of {@link OsTypeService.listCategories}. */
export type ListOsCategoriesInput = z.input<typeof ListOsCategoriesInput>;

/**
 * The guest OS types (`listOsTypes`), seeded with the common 4.1 ones, and their categories
 * (`listOsCategories`, derived from the types); readable by everyone.
 */
@injectable()
export class OsTypeService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Random) private readonly random: RandomSource,
  ) {}

  /** OS types, optionally one, one category, or matching a description. */
  async list(_caller: CallContext, input: ListOsTypesInput = {}): Promise<OsType[]> {
    const q = validate(ListOsTypesInput, input);
    return this.store.transaction(async (tx) => {
      const types = (await tx.repo('osTypes').find({
        where: {
          ...(q.id === undefined ? {} : { id: q.id }),
          ...(q.category === undefined ? {} : { category: q.category }),
          ...(q.description === undefined ? {} : { description: { like: q.description } }),
        },
      })).items;
      return q.categoryId === undefined ? types : types.filter((t) => osCategoryId(t.category) === q.categoryId?.toLowerCase());
    });
  }

  /**
   * The OS categories (`listOsCategories`): every category an OS type names, once, by name, each
   * with its derived id; optionally one by id or by name (any case).
   */
  async listCategories(_caller: CallContext, input: ListOsCategoriesInput = {}): Promise<OsCategory[]> {
    const q = validate(ListOsCategoriesInput, input);
    const types = await this.store.transaction(async (tx) => (await tx.repo('osTypes').find()).items);
    const names = [...new Set(types.map((t) => t.category))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return names
      .map((name) => ({ id: osCategoryId(name), name }))
      .filter((c) => (q.id === undefined || c.id === q.id.toLowerCase()) && (q.name === undefined || c.name.toLowerCase() === q.name.toLowerCase()));
  }

  /** Adds the seed OS types a store does not have yet (by description). */
  async seedDefaults(): Promise<void> {
    await this.store.transaction(async (tx) => {
      for (const seed of OS_TYPE_SEED) {
        if ((await tx.repo('osTypes').findOne({ description: seed.description })) === undefined) {
          await tx.repo('osTypes').insert({ id: this.random.uuid(), ...seed });
        }
      }
    });
  }
}
