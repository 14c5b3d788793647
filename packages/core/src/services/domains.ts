import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { BUILTIN_IDS, type CallContext } from '../context/call-context.js';
import { requireAdmin, requireRootAdmin } from '../context/authorize.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Filter, Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, resourceInUse } from '../errors.js';
import type { Domain } from '../model/domain.js';
import { TOKENS } from '../tokens.js';
import { AccountRemoval } from './account-removal.js';
import { DomainName, NetworkDomainName } from './account-inputs.js';
import { subtreeOf } from './domain-paths.js';
import { EventRecorder } from './event-recorder.js';
import { PagingInput, pageWindow } from './paging.js';
import { ResourceLimitService } from './resource-limits.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';

/** Input of {@link DomainService.create}. */
export const CreateDomainInput = z.object({
  name: DomainName,
  /** The parent; ROOT by default. */
  parentDomainId: z.string().min(1).optional(),
  networkDomain: NetworkDomainName.optional(),
});
/** Input of {@link DomainService.create}. */
export type CreateDomainInput = z.input<typeof CreateDomainInput>;

/** Input of {@link DomainService.update}; a new name renames the paths of every domain below. */
export const UpdateDomainInput = z.object({
  id: z.string().min(1),
  name: DomainName.optional(),
  networkDomain: NetworkDomainName.optional(),
});
/** Input of {@link DomainService.update}. */
export type UpdateDomainInput = z.input<typeof UpdateDomainInput>;

/** Input of {@link DomainService.delete}. */
export const DeleteDomainInput = z.object({
  id: z.string().min(1),
  /** Also delete every domain below and every account in them, with what they own. */
  cleanup: z.boolean().default(false),
});
/** Input of {@link DomainService.delete}. */
export type DeleteDomainInput = z.input<typeof DeleteDomainInput>;

/** Filters of {@link DomainService.list}. */
export const ListDomainsInput = z
  .object({
    id: z.string().min(1).optional(),
    name: z.string().optional(),
    level: z.number().int().min(0).optional(),
    keyword: z.string().optional(),
    /** The caller's whole subtree rather than only its own domain. */
    listAll: z.boolean().optional(),
  })
  .extend(PagingInput.shape);
/** Filters of {@link DomainService.list}. */
export type ListDomainsInput = z.input<typeof ListDomainsInput>;

/** Filters of {@link DomainService.listChildren}. */
export const ListDomainChildrenInput = z
  .object({
    /** The parent; the caller's domain by default. */
    id: z.string().min(1).optional(),
    name: z.string().optional(),
    keyword: z.string().optional(),
    /** Every domain below, not only the direct children. */
    isRecursive: z.boolean().optional(),
  })
  .extend(PagingInput.shape);
/** Filters of {@link DomainService.listChildren}. */
export type ListDomainChildrenInput = z.input<typeof ListDomainChildrenInput>;

/**
 * The domain tree under ROOT: create, rename, change the network domain, delete (only when
 * empty, or with cleanup) — root admins; list — admins, within their subtree.
 */
@injectable()
export class DomainService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(AccountRemoval) private readonly removal: AccountRemoval,
    @inject(ResourceLimitService) private readonly limits: ResourceLimitService,
  ) {}

  /** Creates a domain under a parent (ROOT by default); names are unique among siblings. */
  async create(caller: CallContext, input: CreateDomainInput): Promise<Domain> {
    requireRootAdmin(caller, 'create domains');
    const request = validate(CreateDomainInput, input);
    return this.store.transaction(async (tx) => {
      const parent = await this.visibility.visibleDomain(tx, caller, request.parentDomainId ?? BUILTIN_IDS.rootDomain, 'parentdomainid');
      const path = `${parent.path}${request.name}/`;
      await this.assertPathFree(tx, path, request.name, parent);
      const domain = await tx.repo('domains').insert({
        id: this.random.uuid(),
        name: request.name,
        path,
        parentId: parent.id,
        level: parent.level + 1,
        ...(request.networkDomain === undefined ? {} : { networkDomain: request.networkDomain }),
        state: 'Active',
        createdAt: isoNow(this.clock),
      });
      await this.record(tx, caller, 'DOMAIN.CREATE', `Created domain ${path}`, domain);
      return domain;
    });
  }

  /** Renames a domain (moving the paths below it) or changes its network domain; not ROOT's name. */
  async update(caller: CallContext, input: UpdateDomainInput): Promise<Domain> {
    requireRootAdmin(caller, 'update domains');
    const change = validate(UpdateDomainInput, input);
    return this.store.transaction(async (tx) => {
      const domain = await this.visibility.visibleDomain(tx, caller, change.id, 'id');
      let path = domain.path;
      if (change.name !== undefined && change.name !== domain.name) {
        if (domain.parentId === undefined) throw invalidParameter('name', 'The ROOT domain cannot be renamed');
        const parent = await this.visibility.visibleDomain(tx, caller, domain.parentId, 'id');
        path = `${parent.path}${change.name}/`;
        if (path.toLowerCase() !== domain.path.toLowerCase()) await this.assertPathFree(tx, path, change.name, parent);
        for (const below of await subtreeOf(tx, domain)) {
          if (below.id === domain.id) continue;
          await tx.repo('domains').update({ ...below, path: path + below.path.slice(domain.path.length) });
        }
      }
      const updated = await tx.repo('domains').update({
        ...domain,
        path,
        ...(change.name === undefined ? {} : { name: change.name }),
        ...(change.networkDomain === undefined ? {} : { networkDomain: change.networkDomain }),
      });
      await this.record(tx, caller, 'DOMAIN.UPDATE', `Updated domain ${updated.path}`, updated);
      return updated;
    });
  }

  /**
   * Deletes a domain. Without `cleanup` it must be empty (no domains below, no accounts: 536
   * otherwise); with `cleanup` every account below is deleted with what it owns, then the
   * domains, deepest first. ROOT cannot be deleted.
   */
  async delete(caller: CallContext, input: DeleteDomainInput): Promise<void> {
    requireRootAdmin(caller, 'delete domains');
    const request = validate(DeleteDomainInput, input);
    await this.store.transaction(async (tx) => {
      const domain = await this.visibility.visibleDomain(tx, caller, request.id, 'id');
      if (domain.parentId === undefined) throw invalidParameter('id', 'The ROOT domain cannot be deleted');
      const subtree = await subtreeOf(tx, domain);
      const ids = subtree.map((d) => d.id);
      if (ids.includes(caller.domainId)) throw invalidParameter('id', 'A domain holding the caller\'s own account cannot be deleted');
      const accounts = (await tx.repo('accounts').find({ where: { domainId: { in: ids } } })).items;
      if (!request.cleanup && (subtree.length > 1 || accounts.length > 0)) {
        throw resourceInUse(
          `Domain ${domain.path} still has ${subtree.length - 1} domain(s) and ${accounts.length} account(s) below it; delete them first or use cleanup`,
          'id',
        );
      }
      for (const account of accounts) await this.removal.remove(tx, caller, account);
      for (const d of [...subtree].sort((a, b) => b.level - a.level)) {
        await this.limits.removeDomain(tx, d);
        await tx.repo('domains').delete(d.id);
        await this.record(tx, caller, 'DOMAIN.DELETE', `Deleted domain ${d.path}`, d);
      }
    });
  }

  /** One domain the caller may see; 431 not found otherwise. */
  async get(caller: CallContext, id: string): Promise<Domain> {
    return this.store.transaction((tx) => this.visibility.visibleDomain(tx, caller, id, 'id'));
  }

  /**
   * Domains (admins): by `id` within the caller's subtree; with `listAll` the caller's whole
   * subtree (everything for a root admin); otherwise the caller's own domain.
   */
  async list(caller: CallContext, input: ListDomainsInput = {}): Promise<Page<Domain>> {
    requireAdmin(caller, 'list domains');
    const query = validate(ListDomainsInput, input);
    return this.store.transaction(async (tx) => {
      const own = await this.visibility.visibleDomain(tx, caller, caller.domainId);
      let candidates: readonly string[];
      if (query.id !== undefined) candidates = [(await this.visibility.visibleDomain(tx, caller, query.id, 'id')).id];
      else if (query.listAll === true) candidates = (await subtreeOf(tx, own)).map((d) => d.id);
      else candidates = [own.id];
      const where: Filter<Domain> = {
        id: { in: candidates },
        ...(query.name === undefined ? {} : { name: query.name }),
        ...(query.level === undefined ? {} : { level: query.level }),
        ...(query.keyword === undefined ? {} : { name: { like: query.keyword } }),
      };
      return this.page(tx, where, query);
    });
  }

  /** The children of a domain (the caller's by default), or its whole subtree below with `isRecursive`. */
  async listChildren(caller: CallContext, input: ListDomainChildrenInput = {}): Promise<Page<Domain>> {
    requireAdmin(caller, 'list domains');
    const query = validate(ListDomainChildrenInput, input);
    return this.store.transaction(async (tx) => {
      const parent = await this.visibility.visibleDomain(tx, caller, query.id ?? caller.domainId, 'id');
      const below = query.isRecursive === true ? (await subtreeOf(tx, parent)).filter((d) => d.id !== parent.id).map((d) => d.id) : undefined;
      const where: Filter<Domain> = {
        ...(below === undefined ? { parentId: parent.id } : { id: { in: below } }),
        ...(query.name === undefined ? {} : { name: query.name }),
        ...(query.keyword === undefined ? {} : { name: { like: query.keyword } }),
      };
      return this.page(tx, where, query);
    });
  }

  private async page(tx: Transaction, where: Filter<Domain>, paging: z.output<typeof PagingInput>): Promise<Page<Domain>> {
    const window = pageWindow(paging, await this.config.number('default.page.size', {}, tx));
    return tx.repo('domains').find({ where, orderBy: [{ field: 'path' }], ...window });
  }

  private async assertPathFree(tx: Transaction, path: string, name: string, parent: Domain): Promise<void> {
    const { items } = await tx.repo('domains').find({ where: { parentId: parent.id, name: { like: name } } });
    if (items.some((d) => d.path.toLowerCase() === path.toLowerCase())) {
      throw invalidParameter('name', `Domain with name ${name} already exists under ${parent.path}`);
    }
  }

  private async record(tx: Transaction, caller: CallContext, type: string, description: string, domain: Domain): Promise<void> {
    await this.events.record(tx, caller, { type, description, resourceType: 'Domain', resourceId: domain.id });
  }
}
