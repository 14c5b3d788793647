import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { requireRootAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Filter, Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import type { DiskOffering } from '../model/disk-offering.js';
import { StorageType } from '../model/service-offering.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { OfferingLifecycle, OfferingRenameInput } from './offering-lifecycle.js';
import { OfferingVisibility, parseTags, requireDomain } from './offering-visibility.js';
import { PagingInput } from './paging.js';
import { validate } from './validate.js';

/** Input of {@link DiskOfferingService.create}: a fixed size in GB, or `customized` for a size chosen per volume. */
export const CreateDiskOfferingInput = z
  .object({
    name: z.string().trim().min(1).max(255),
    displayText: z.string().trim().min(1).max(4096),
    diskSize: z.number().int().positive().optional(),
    customized: z.boolean().default(false),
    /** Storage tags, as a comma-separated string or a list. */
    tags: z.union([z.string(), z.array(z.string())]).optional(),
    storageType: StorageType.default('shared'),
    domainId: z.string().min(1).optional(),
  })
  .superRefine((input, ctx) => {
    if (!input.customized && input.diskSize === undefined) {
      ctx.addIssue({ code: 'custom', path: ['diskSize'], message: 'a disk offering that is not customized needs a size in GB' });
    }
    if (input.customized && input.diskSize !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['diskSize'], message: 'a customized disk offering takes its size when a volume is created' });
    }
  });

/** Input of {@link DiskOfferingService.create}. */
export type CreateDiskOfferingInput = z.input<typeof CreateDiskOfferingInput>;

/** Input of {@link DiskOfferingService.update}. */
export const UpdateDiskOfferingInput = OfferingRenameInput;

/** Input of {@link DiskOfferingService.update}. */
export type UpdateDiskOfferingInput = z.input<typeof UpdateDiskOfferingInput>;

/** Filters of {@link DiskOfferingService.list}. */
export const ListDiskOfferingsInput = z
  .object({ id: z.string().optional(), name: z.string().optional(), keyword: z.string().optional(), domainId: z.string().optional() })
  .extend(PagingInput.shape);

/** Filters of {@link DiskOfferingService.list}. */
export type ListDiskOfferingsInput = z.input<typeof ListDiskOfferingsInput>;

/** The disk offerings of a fresh CloudStack 4.1 installation. */
const DEFAULT_DISK_OFFERINGS: readonly CreateDiskOfferingInput[] = [
  { name: 'Small', displayText: 'Small Disk, 5 GB', diskSize: 5 },
  { name: 'Medium', displayText: 'Medium Disk, 20 GB', diskSize: 20 },
  { name: 'Large', displayText: 'Large Disk, 100 GB', diskSize: 100 },
  { name: 'Custom', displayText: 'Custom Disk', customized: true },
];

/**
 * Disk offerings: root admins create, rename and delete them (deleted ones turn `Inactive`);
 * everyone lists the ones they may use. A fixed size must lie within
 * `custom.diskoffering.size.min` .. `custom.diskoffering.size.max` GB.
 */
@injectable()
export class DiskOfferingService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) events: EventRecorder,
  ) {
    this.lifecycle = new OfferingLifecycle({ repo: 'diskOfferings', label: 'disk offering', eventPrefix: 'DISK.OFFERING', resourceType: 'DiskOffering' }, events);
  }

  private readonly lifecycle: OfferingLifecycle<'diskOfferings'>;

  /** Creates a disk offering (root admin). */
  async create(caller: CallContext, input: CreateDiskOfferingInput): Promise<DiskOffering> {
    requireRootAdmin(caller, 'create a disk offering');
    const spec = validate(CreateDiskOfferingInput, input);
    return this.store.transaction(async (tx) => {
      await requireDomain(tx, spec.domainId);
      await this.checkSize(tx, spec.diskSize);
      const offering = await this.insert(tx, spec);
      await this.lifecycle.record(tx, caller, 'CREATE', offering);
      return offering;
    });
  }

  /** Renames a disk offering or changes its display text (root admin). */
  async update(caller: CallContext, input: UpdateDiskOfferingInput): Promise<DiskOffering> {
    requireRootAdmin(caller, 'update a disk offering');
    const change = validate(UpdateDiskOfferingInput, input);
    return this.store.transaction((tx) => this.lifecycle.rename(tx, caller, change));
  }

  /** Deletes a disk offering (root admin): it becomes `Inactive`. */
  async delete(caller: CallContext, id: string): Promise<void> {
    requireRootAdmin(caller, 'delete a disk offering');
    await this.store.transaction(async (tx) => this.lifecycle.deactivate(tx, caller, await this.lifecycle.active(tx, id)));
  }

  /** The active disk offerings the caller may use, in creation order. */
  async list(caller: CallContext, input: ListDiskOfferingsInput = {}): Promise<Page<DiskOffering>> {
    const query = validate(ListDiskOfferingsInput, input);
    const where: Filter<DiskOffering> = {
      state: 'Active',
      ...(query.id === undefined ? {} : { id: query.id }),
      ...(query.name === undefined ? {} : { name: query.name }),
      ...(query.domainId === undefined ? {} : { domainId: query.domainId }),
      ...(query.keyword === undefined ? {} : { $or: [{ name: { like: query.keyword } }, { displayText: { like: query.keyword } }] }),
    };
    return this.store.transaction(async (tx) =>
      this.lifecycle.visiblePage(tx, caller, where, query, await this.config.number('default.page.size', {}, tx)),
    );
  }

  /** An active disk offering the caller may use; 431 naming `param` otherwise. */
  async requireUsable(tx: Transaction, caller: CallContext, id: string, param = 'diskofferingid'): Promise<DiskOffering> {
    const offering = await this.lifecycle.active(tx, id, param);
    if (!(await (await OfferingVisibility.for(caller, tx)).canSee(offering))) throw notFound('disk offering', param, id);
    return offering;
  }

  /** Creates the built-in disk offerings of a fresh installation when the store has none yet. */
  async seedDefaults(): Promise<void> {
    await this.store.transaction(async (tx) => {
      if ((await tx.repo('diskOfferings').count()) > 0) return;
      for (const offering of DEFAULT_DISK_OFFERINGS) await this.insert(tx, validate(CreateDiskOfferingInput, offering));
    });
  }

  private async checkSize(tx: Transaction, size: number | undefined): Promise<void> {
    if (size === undefined) return;
    const min = await this.config.number('custom.diskoffering.size.min', {}, tx);
    const max = await this.config.number('custom.diskoffering.size.max', {}, tx);
    if (size < min || size > max) throw invalidParameter('disksize', `must be between ${min} and ${max} GB`);
  }

  private async insert(tx: Transaction, spec: z.output<typeof CreateDiskOfferingInput>): Promise<DiskOffering> {
    return tx.repo('diskOfferings').insert({
      id: this.random.uuid(),
      name: spec.name,
      displayText: spec.displayText,
      ...(spec.diskSize === undefined ? {} : { diskSizeGb: spec.diskSize }),
      customized: spec.customized,
      storageTags: parseTags(spec.tags),
      storageType: spec.storageType,
      ...(spec.domainId === undefined ? {} : { domainId: spec.domainId }),
      state: 'Active',
      createdAt: isoNow(this.clock),
    });
  }

}
