import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { requireRootAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notAllowed, notFound, resourceInUse } from '../errors.js';
import { DEFAULT_REGION_ID, type Region } from '../model/region.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { validate } from './validate.js';

const RegionId = z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/)]).transform(String);

/** Input of {@link RegionService.add}. */
export const AddRegionInput = z.object({
  /** The region number chosen when its database was set up. */
  id: RegionId,
  name: z.string().min(1).max(255),
  endpoint: z.string().url(),
});
/** Input of {@link RegionService.add}. */
export type AddRegionInput = z.input<typeof AddRegionInput>;

/** Input of {@link RegionService.update}. */
export const UpdateRegionInput = z.object({
  id: RegionId,
  name: z.string().min(1).max(255).optional(),
  endpoint: z.string().url().optional(),
});
/** Input of {@link RegionService.update}. */
export type UpdateRegionInput = z.input<typeof UpdateRegionInput>;

/** Input of {@link RegionService.remove}. */
export const RemoveRegionInput = z.object({ id: RegionId });
/** Input of {@link RegionService.remove}. */
export type RemoveRegionInput = z.input<typeof RemoveRegionInput>;

/** Filters of {@link RegionService.list}. */
export const ListRegionsInput = z.object({ id: RegionId.optional(), name: z.string().optional() });
/** Filters of {@link RegionService.list}. */
export type ListRegionsInput = z.input<typeof ListRegionsInput>;

/** The name and endpoint the default region starts with, as a fresh CloudStack 4.1 database has them. */
export const DEFAULT_REGION = { name: 'Local', endpoint: 'http://localhost:8080/client' } as const;

/**
 * Regions (guide §6.2): the default region 1 always exists; others are added, renamed and
 * removed by the root admin. Everyone may list them (`listRegions` is open to all roles).
 */
@injectable()
export class RegionService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Creates the default region when the store has none; run at start-up. */
  async ensureDefault(): Promise<Region> {
    return this.store.transaction(async (tx) => {
      const existing = await tx.repo('regions').get(DEFAULT_REGION_ID);
      if (existing !== undefined) return existing;
      return tx.repo('regions').insert({ id: DEFAULT_REGION_ID, ...DEFAULT_REGION, createdAt: isoNow(this.clock) });
    });
  }

  /** Regions, by id. */
  async list(_caller: CallContext, input: ListRegionsInput = {}): Promise<Region[]> {
    const query = validate(ListRegionsInput, input);
    return this.store.transaction(async (tx) => {
      const { items } = await tx.repo('regions').find({
        where: { ...(query.id === undefined ? {} : { id: query.id }), ...(query.name === undefined ? {} : { name: query.name }) },
      });
      return items.sort((a, b) => Number(a.id) - Number(b.id));
    });
  }

  /** Adds a region (root admin). */
  async add(caller: CallContext, input: AddRegionInput): Promise<Region> {
    requireRootAdmin(caller, 'add a region');
    const region = validate(AddRegionInput, input);
    return this.store.transaction(async (tx) => {
      if ((await tx.repo('regions').get(region.id)) !== undefined) {
        throw invalidParameter('id', `region ${region.id} already exists`);
      }
      const created = await tx.repo('regions').insert({ ...region, createdAt: isoNow(this.clock) });
      await this.record(tx, caller, 'REGION.ADD', created, `Added region ${created.id} (${created.name})`);
      return created;
    });
  }

  /** Changes a region's name or endpoint (root admin). */
  async update(caller: CallContext, input: UpdateRegionInput): Promise<Region> {
    requireRootAdmin(caller, 'update a region');
    const change = validate(UpdateRegionInput, input);
    return this.store.transaction(async (tx) => {
      const region = await this.regionOrFail(tx, change.id);
      const updated = await tx.repo('regions').update({
        ...region,
        ...(change.name === undefined ? {} : { name: change.name }),
        ...(change.endpoint === undefined ? {} : { endpoint: change.endpoint }),
      });
      await this.record(tx, caller, 'REGION.UPDATE', updated, `Updated region ${updated.id}`);
      return updated;
    });
  }

  /** Removes a region (root admin); the default region and a region with zones stay. */
  async remove(caller: CallContext, input: RemoveRegionInput): Promise<void> {
    requireRootAdmin(caller, 'remove a region');
    const { id } = validate(RemoveRegionInput, input);
    await this.store.transaction(async (tx) => {
      const region = await this.regionOrFail(tx, id);
      if (id === DEFAULT_REGION_ID) throw notAllowed('The default region cannot be removed', 'id');
      if ((await tx.repo('zones').count({ regionId: id })) > 0) throw resourceInUse(`Region ${id} still has zones`, 'id');
      await tx.repo('regions').delete(id, region.version);
      await this.record(tx, caller, 'REGION.DELETE', region, `Removed region ${id}`);
    });
  }

  private async regionOrFail(tx: Transaction, id: string): Promise<Region> {
    const region = await tx.repo('regions').get(id);
    if (region === undefined) throw notFound('region', 'id', id);
    return region;
  }

  private async record(tx: Transaction, caller: CallContext, type: string, region: Region, description: string): Promise<void> {
    await this.events.record(tx, caller, { type, description, resourceType: 'Region', resourceId: region.id });
  }
}
