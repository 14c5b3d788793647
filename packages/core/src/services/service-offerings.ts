import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { requireRootAdmin } from '../context/authorize.js';
import { isAdmin, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Filter, Page, Store, Transaction } from '../contracts/store.js';
import { notAllowed, notFound } from '../errors.js';
import { StorageType, SystemVmType, type ServiceOffering } from '../model/service-offering.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { OfferingLifecycle, OfferingRenameInput } from './offering-lifecycle.js';
import { OfferingVisibility, parseTags, requireDomain } from './offering-visibility.js';
import { PagingInput } from './paging.js';
import { validate } from './validate.js';

const Tags = z.union([z.string(), z.array(z.string())]);

/** Input of {@link ServiceOfferingService.create}, with CloudStack's `createServiceOffering` rules. */
export const CreateServiceOfferingInput = z
  .object({
    name: z.string().trim().min(1).max(255),
    displayText: z.string().trim().min(1).max(4096),
    cpuNumber: z.number().int().min(1).max(2_147_483_647),
    cpuSpeed: z.number().int().min(1).max(2_147_483_647),
    memory: z.number().int().min(1).max(2_147_483_647),
    storageType: StorageType.default('shared'),
    offerHa: z.boolean().default(false),
    limitCpuUse: z.boolean().default(false),
    hostTags: z.string().trim().min(1).optional(),
    /** Storage tags, as a comma-separated string or a list. */
    tags: Tags.optional(),
    networkRate: z.number().int().positive().optional(),
    domainId: z.string().min(1).optional(),
    isSystem: z.boolean().default(false),
    systemVmType: SystemVmType.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.systemVmType !== undefined && !input.isSystem) {
      ctx.addIssue({ code: 'custom', path: ['systemVmType'], message: 'is only allowed for a system offering (issystem=true)' });
    }
    if (input.isSystem && input.domainId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['domainId'], message: 'a system offering cannot be restricted to a domain' });
    }
  });

/** Input of {@link ServiceOfferingService.create}. */
export type CreateServiceOfferingInput = z.input<typeof CreateServiceOfferingInput>;

/** Input of {@link ServiceOfferingService.update}: only names change; resources are fixed for the offering's life. */
export const UpdateServiceOfferingInput = OfferingRenameInput;

/** Input of {@link ServiceOfferingService.update}. */
export type UpdateServiceOfferingInput = z.input<typeof UpdateServiceOfferingInput>;

/** Filters of {@link ServiceOfferingService.list}. */
export const ListServiceOfferingsInput = z
  .object({
    id: z.string().optional(),
    name: z.string().optional(),
    keyword: z.string().optional(),
    domainId: z.string().optional(),
    isSystem: z.boolean().optional(),
    systemVmType: SystemVmType.optional(),
  })
  .extend(PagingInput.shape);

/** Filters of {@link ServiceOfferingService.list}. */
export type ListServiceOfferingsInput = z.input<typeof ListServiceOfferingsInput>;

/** The built-in offerings of a fresh CloudStack 4.1 installation. */
const DEFAULT_OFFERINGS: readonly CreateServiceOfferingInput[] = [
  { name: 'Small Instance', displayText: 'Small Instance', cpuNumber: 1, cpuSpeed: 500, memory: 512 },
  { name: 'Medium Instance', displayText: 'Medium Instance', cpuNumber: 1, cpuSpeed: 1000, memory: 1024 },
  { name: 'System Offering For Software Router', displayText: 'System Offering For Software Router', cpuNumber: 1, cpuSpeed: 500, memory: 128, offerHa: true, isSystem: true, systemVmType: 'domainrouter' },
  { name: 'System Offering For Console Proxy', displayText: 'System Offering For Console Proxy', cpuNumber: 1, cpuSpeed: 500, memory: 1024, offerHa: true, isSystem: true, systemVmType: 'consoleproxy' },
  { name: 'System Offering For Secondary Storage VM', displayText: 'System Offering For Secondary Storage VM', cpuNumber: 1, cpuSpeed: 500, memory: 256, offerHa: true, isSystem: true, systemVmType: 'secondarystoragevm' },
  { name: 'System Offering For Elastic LB VM', displayText: 'System Offering For Elastic LB VM', cpuNumber: 1, cpuSpeed: 128, memory: 128, offerHa: true, isSystem: true, systemVmType: 'elasticloadbalancervm' },
];

/**
 * Service (compute) offerings: root admins create, rename and delete them; everyone lists the
 * ones they may use (public ones, and those of their domain or a domain above it); only admins
 * see system offerings. A deleted offering turns `Inactive` so VMs built from it keep a valid
 * reference.
 */
@injectable()
export class ServiceOfferingService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) events: EventRecorder,
  ) {
    this.lifecycle = new OfferingLifecycle({ repo: 'serviceOfferings', label: 'service offering', eventPrefix: 'SERVICE.OFFERING', resourceType: 'ServiceOffering' }, events);
  }

  private readonly lifecycle: OfferingLifecycle<'serviceOfferings'>;

  /** Creates an offering (root admin). */
  async create(caller: CallContext, input: CreateServiceOfferingInput): Promise<ServiceOffering> {
    requireRootAdmin(caller, 'create a service offering');
    const spec = validate(CreateServiceOfferingInput, input);
    return this.store.transaction(async (tx) => {
      await requireDomain(tx, spec.domainId);
      const offering = await this.insert(tx, spec, false);
      await this.lifecycle.record(tx, caller, 'CREATE', offering);
      return offering;
    });
  }

  /** Renames an offering or changes its display text (root admin). */
  async update(caller: CallContext, input: UpdateServiceOfferingInput): Promise<ServiceOffering> {
    requireRootAdmin(caller, 'update a service offering');
    const change = validate(UpdateServiceOfferingInput, input);
    return this.store.transaction((tx) => this.lifecycle.rename(tx, caller, change));
  }

  /** Deletes an offering (root admin): it becomes `Inactive`. The built-in system offerings stay. */
  async delete(caller: CallContext, id: string): Promise<void> {
    requireRootAdmin(caller, 'delete a service offering');
    await this.store.transaction(async (tx) => {
      const current = await this.lifecycle.active(tx, id);
      if (current.defaultUse) throw notAllowed(`Default system offering ${current.name} cannot be deleted`, 'id');
      await this.lifecycle.deactivate(tx, caller, current);
    });
  }

  /** The active offerings the caller may use, in creation order. */
  async list(caller: CallContext, input: ListServiceOfferingsInput = {}): Promise<Page<ServiceOffering>> {
    const query = validate(ListServiceOfferingsInput, input);
    const seesSystem = isAdmin(caller);
    if (query.isSystem === true && !seesSystem) return { items: [], total: 0 };
    const where: Filter<ServiceOffering> = {
      state: 'Active',
      // An admin naming an offering by id finds it whether or not it is a system offering.
      ...(seesSystem && query.id !== undefined && query.isSystem === undefined ? {} : { isSystem: seesSystem ? (query.isSystem ?? false) : false }),
      ...(query.id === undefined ? {} : { id: query.id }),
      ...(query.name === undefined ? {} : { name: query.name }),
      ...(query.domainId === undefined ? {} : { domainId: query.domainId }),
      ...(query.systemVmType === undefined ? {} : { systemVmType: query.systemVmType }),
      ...(query.keyword === undefined ? {} : { $or: [{ name: { like: query.keyword } }, { displayText: { like: query.keyword } }] }),
    };
    return this.store.transaction(async (tx) =>
      this.lifecycle.visiblePage(tx, caller, where, query, await this.config.number('default.page.size', {}, tx)),
    );
  }

  /**
   * An active offering the caller may use, for services that deploy with it; 431 naming
   * `param` when there is none (another domain's offering reads as not found).
   */
  async requireUsable(tx: Transaction, caller: CallContext, id: string, param = 'serviceofferingid'): Promise<ServiceOffering> {
    const offering = await this.lifecycle.active(tx, id, param);
    const visibility = await OfferingVisibility.for(caller, tx);
    if (!(await visibility.canSee(offering)) || (offering.isSystem && !visibility.canSeeSystem())) {
      throw notFound('service offering', param, id);
    }
    return offering;
  }

  /** Creates the built-in offerings of a fresh installation when the store has none yet. */
  async seedDefaults(): Promise<void> {
    await this.store.transaction(async (tx) => {
      if ((await tx.repo('serviceOfferings').count()) > 0) return;
      for (const offering of DEFAULT_OFFERINGS) await this.insert(tx, validate(CreateServiceOfferingInput, offering), true);
    });
  }

  private async insert(tx: Transaction, spec: z.output<typeof CreateServiceOfferingInput>, builtIn: boolean): Promise<ServiceOffering> {
    return tx.repo('serviceOfferings').insert({
      id: this.random.uuid(),
      name: spec.name,
      displayText: spec.displayText,
      cpuNumber: spec.cpuNumber,
      cpuSpeed: spec.cpuSpeed,
      memory: spec.memory,
      storageType: spec.storageType,
      offerHa: spec.offerHa,
      limitCpuUse: spec.limitCpuUse,
      ...(spec.hostTags === undefined ? {} : { hostTag: spec.hostTags }),
      storageTags: parseTags(spec.tags),
      ...(spec.networkRate === undefined ? {} : { networkRate: spec.networkRate }),
      ...(spec.domainId === undefined ? {} : { domainId: spec.domainId }),
      isSystem: spec.isSystem,
      ...(spec.systemVmType === undefined ? {} : { systemVmType: spec.systemVmType }),
      defaultUse: builtIn && spec.isSystem,
      state: 'Active',
      createdAt: isoNow(this.clock),
    });
  }

}

