import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { BUILTIN_IDS, Role, isRootAdmin, type CallContext } from '../context/call-context.js';
import { requireAdmin } from '../context/authorize.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, limitExceeded, missingParameter, notFound, permissionDenied } from '../errors.js';
import type { Account } from '../model/account.js';
import type { Domain } from '../model/domain.js';
import {
  ACCOUNT_LIMIT_DEFAULTS,
  ResourceType,
  resourceLimitId,
  type LimitOwnerType,
} from '../model/resource-limit.js';
import { TOKENS } from '../tokens.js';
import { domainChain } from './domain-paths.js';
import { EventRecorder } from './event-recorder.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';

/** The counter holding how much of `type` an account or domain uses. */
export function usageCounterKey(ownerType: LimitOwnerType, ownerId: string, type: ResourceType): string {
  return `limits:${ownerType}:${ownerId}:${type}`;
}

/** Which account or domain a limit call is about; the caller's own account when nothing is named. */
const LimitTarget = z.object({
  /** The account, by id. */
  accountId: z.string().min(1).optional(),
  /** The account, by name (in `domainId`, or the caller's domain). */
  account: z.string().min(1).optional(),
  /** The domain (alone: the domain's own limits). */
  domainId: z.string().min(1).optional(),
});

/** Input of {@link ResourceLimitService.list}. */
export const ListResourceLimitsInput = LimitTarget.extend({
  /** Only this type. */
  resourceType: ResourceType.optional(),
});
/** Input of {@link ResourceLimitService.list}. */
export type ListResourceLimitsInput = z.input<typeof ListResourceLimitsInput>;

/** Input of {@link ResourceLimitService.update}. */
export const UpdateResourceLimitInput = LimitTarget.extend({
  resourceType: ResourceType,
  /** The new maximum; -1 for unlimited. */
  max: z.number().int().min(-1),
});
/** Input of {@link ResourceLimitService.update}. */
export type UpdateResourceLimitInput = z.input<typeof UpdateResourceLimitInput>;

/** A limit as `listResourceLimits` shows it, with the current usage. */
export interface ResourceLimitView {
  /** The resource type. */
  readonly resourceType: ResourceType;
  /** The effective maximum; -1 for unlimited. */
  readonly max: number;
  /** How much the owner uses now. */
  readonly used: number;
  /** The account, for an account's limit. */
  readonly accountId?: string;
  /** The account's name, for an account's limit. */
  readonly accountName?: string;
  /** The domain (the account's, for an account's limit). */
  readonly domainId: string;
  /** The domain's path. */
  readonly domainPath: string;
}

/** Accounts whose usage is counted but never limited (CloudStack exempts root admins and SYSTEM). */
function isExempt(account: Account): boolean {
  return account.role === Role.RootAdmin || account.id === BUILTIN_IDS.systemAccount;
}

/**
 * Resource limits per account and per domain (VMs, public IPs, volumes, snapshots, templates,
 * projects, networks, VPCs). Other services call {@link ResourceLimitService.reserve} in the
 * same transaction that creates the resource row and {@link ResourceLimitService.release} in
 * the one that removes it; the counts are atomic counters bounded by the limits, so they stay
 * exact however creations race. Admins list and update limits.
 */
@injectable()
export class ResourceLimitService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(Visibility) private readonly visibility: Visibility,
  ) {}

  /** Limits (and usage) of an account — the caller's own by default — or of a domain. */
  async list(caller: CallContext, input: ListResourceLimitsInput = {}): Promise<ResourceLimitView[]> {
    const query = validate(ListResourceLimitsInput, input);
    const types = query.resourceType === undefined ? ResourceType.options : [query.resourceType];
    return this.store.transaction(async (tx) => {
      if (query.accountId === undefined && query.account === undefined && query.domainId !== undefined && caller.role !== Role.User) {
        const domain = await this.visibility.visibleDomain(tx, caller, query.domainId);
        const views: ResourceLimitView[] = [];
        for (const type of types) views.push(await this.domainView(tx, domain, type));
        return views;
      }
      const account = await this.visibility.targetAccount(tx, caller, query);
      const domain = await this.domainOf(tx, account);
      const views: ResourceLimitView[] = [];
      for (const type of types) {
        views.push({
          resourceType: type,
          max: await this.accountLimit(tx, account, type),
          used: await tx.counters.get(usageCounterKey('account', account.id, type)),
          accountId: account.id,
          accountName: account.name,
          domainId: domain.id,
          domainPath: domain.path,
        });
      }
      return views;
    });
  }

  /**
   * Sets the limit of an account or a domain (admins; CloudStack's `updateResourceLimit`): -1
   * is unlimited; a domain or resource-domain admin may set limits below itself but not of its
   * own account or domain; a domain's limit may not exceed its parent's; root admin accounts
   * are always unlimited.
   */
  async update(caller: CallContext, input: UpdateResourceLimitInput): Promise<ResourceLimitView> {
    requireAdmin(caller, 'update resource limits');
    const change = validate(UpdateResourceLimitInput, input);
    return this.store.transaction(async (tx) => {
      if (change.accountId !== undefined || change.account !== undefined) {
        const account = await this.visibility.targetAccount(tx, caller, change);
        if (account.id === BUILTIN_IDS.systemAccount) throw invalidParameter('account', "Can't update the limits of the system account");
        if (account.role === Role.RootAdmin && change.max !== -1) {
          throw invalidParameter('max', 'Only -1 (unlimited) is supported for root admin accounts');
        }
        if (!isRootAdmin(caller) && account.id === caller.accountId) {
          throw permissionDenied(`Unable to update resource limit for own account ${account.name}, permission denied`, 'account');
        }
        await this.writeLimit(tx, caller, 'account', account.id, change.resourceType, change.max, account);
        const domain = await this.domainOf(tx, account);
        return {
          resourceType: change.resourceType,
          max: change.max,
          used: await tx.counters.get(usageCounterKey('account', account.id, change.resourceType)),
          accountId: account.id,
          accountName: account.name,
          domainId: domain.id,
          domainPath: domain.path,
        };
      }
      if (change.domainId === undefined) throw missingParameter('domainid');
      const domain = await this.visibility.visibleDomain(tx, caller, change.domainId);
      if (!isRootAdmin(caller) && domain.id === caller.domainId) {
        throw permissionDenied(`Unable to update resource limit for own domain ${domain.path}, permission denied`, 'domainid');
      }
      if (domain.parentId !== undefined) {
        const parentMax = await this.inheritedDomainLimit(tx, domain.parentId, change.resourceType);
        if (parentMax >= 0 && (change.max < 0 || change.max > parentMax)) {
          throw invalidParameter(
            'max',
            `the parent domain of ${domain.path} has maximum allowed resource limit ${parentMax} for ${change.resourceType}; specify a value less than or equal to ${parentMax}`,
          );
        }
      }
      await this.writeLimit(tx, caller, 'domain', domain.id, change.resourceType, change.max, undefined, domain);
      return this.domainView(tx, domain, change.resourceType);
    });
  }

  /**
   * Claims `count` of `type` for an account inside `tx`, checking the account's limit and the
   * limit of its domain and every ancestor; fails with 532 (and claims nothing) when one would
   * be exceeded. Call it in the transaction that writes the resource, so a rollback releases it.
   */
  async reserve(tx: Transaction, accountId: string, type: ResourceType, count = 1): Promise<void> {
    this.checkCount(count);
    const account = await tx.repo('accounts').get(accountId);
    if (account === undefined) throw notFound('account', 'accountid', accountId);
    const exempt = isExempt(account);
    const applied: string[] = [];
    const undo = async () => {
      for (const key of applied) await tx.counters.adjust(key, -count);
    };
    const accountMax = exempt ? -1 : await this.accountLimit(tx, account, type);
    const accountKey = usageCounterKey('account', account.id, type);
    if (!(await tx.counters.adjust(accountKey, count, accountMax < 0 ? {} : { max: accountMax })).ok) {
      throw limitExceeded(type, accountMax, `account ${account.name}`);
    }
    applied.push(accountKey);
    for (const domain of await domainChain(tx, await this.domainOf(tx, account))) {
      const domainMax = exempt ? -1 : await this.explicitLimit(tx, 'domain', domain.id, type);
      const key = usageCounterKey('domain', domain.id, type);
      if (!(await tx.counters.adjust(key, count, domainMax < 0 ? {} : { max: domainMax })).ok) {
        // A caller that catches the 532 and goes on must not keep a half-made claim.
        await undo();
        throw limitExceeded(type, domainMax, `domain ${domain.path}`);
      }
      applied.push(key);
    }
  }

  /** Gives back `count` of `type` for an account and its domains, inside `tx` (never below 0). */
  async release(tx: Transaction, accountId: string, type: ResourceType, count = 1): Promise<void> {
    this.checkCount(count);
    const account = await tx.repo('accounts').get(accountId);
    if (account === undefined) return;
    await this.decrement(tx, usageCounterKey('account', account.id, type), count);
    for (const domain of await domainChain(tx, await this.domainOf(tx, account))) {
      await this.decrement(tx, usageCounterKey('domain', domain.id, type), count);
    }
  }

  /** How much of `type` an account or a domain (with everything below it) uses. */
  async usage(tx: Transaction, ownerType: LimitOwnerType, ownerId: string, type: ResourceType): Promise<number> {
    return tx.counters.get(usageCounterKey(ownerType, ownerId, type));
  }

  /**
   * Forgets an account being deleted: whatever its cleanup handlers did not release is
   * subtracted from its domains, and its counters and limit rows go.
   */
  async removeAccount(tx: Transaction, account: Account): Promise<void> {
    for (const type of ResourceType.options) {
      const left = await tx.counters.get(usageCounterKey('account', account.id, type));
      if (left > 0) await this.release(tx, account.id, type, left);
      await tx.counters.delete(usageCounterKey('account', account.id, type));
    }
    await this.deleteLimitRows(tx, account.id);
  }

  /** Forgets a domain being deleted: its counters and limit rows go. */
  async removeDomain(tx: Transaction, domain: Domain): Promise<void> {
    for (const type of ResourceType.options) await tx.counters.delete(usageCounterKey('domain', domain.id, type));
    await this.deleteLimitRows(tx, domain.id);
  }

  /** The effective limit of an account: its own row, else `max.account.*` (account scope first). */
  async accountLimit(tx: Transaction, account: Account, type: ResourceType): Promise<number> {
    if (isExempt(account)) return -1;
    const row = await tx.repo('resourceLimits').get(resourceLimitId('account', account.id, type));
    if (row !== undefined) return row.max;
    const parameter = ACCOUNT_LIMIT_DEFAULTS[type];
    return parameter === undefined ? -1 : this.config.number(parameter, { accountId: account.id }, tx);
  }

  private async inheritedDomainLimit(tx: Transaction, domainId: string, type: ResourceType): Promise<number> {
    const domain = await tx.repo('domains').get(domainId);
    if (domain === undefined) return -1;
    for (const d of await domainChain(tx, domain)) {
      const row = await tx.repo('resourceLimits').get(resourceLimitId('domain', d.id, type));
      if (row !== undefined) return row.max;
    }
    return -1;
  }

  private async domainView(tx: Transaction, domain: Domain, type: ResourceType): Promise<ResourceLimitView> {
    return {
      resourceType: type,
      max: await this.inheritedDomainLimit(tx, domain.id, type),
      used: await tx.counters.get(usageCounterKey('domain', domain.id, type)),
      domainId: domain.id,
      domainPath: domain.path,
    };
  }

  private async explicitLimit(tx: Transaction, ownerType: LimitOwnerType, ownerId: string, type: ResourceType): Promise<number> {
    return (await tx.repo('resourceLimits').get(resourceLimitId(ownerType, ownerId, type)))?.max ?? -1;
  }

  private async writeLimit(
    tx: Transaction,
    caller: CallContext,
    ownerType: LimitOwnerType,
    ownerId: string,
    type: ResourceType,
    max: number,
    account?: Account,
    domain?: Domain,
  ): Promise<void> {
    const repo = tx.repo('resourceLimits');
    const id = resourceLimitId(ownerType, ownerId, type);
    const existing = await repo.get(id);
    const row = { id, ownerType, ownerId, resourceType: type, max, updatedAt: isoNow(this.clock) };
    if (existing === undefined) await repo.insert(row);
    else await repo.update({ ...row, version: existing.version });
    await this.events.record(tx, caller, {
      type: 'RESOURCE.LIMIT.UPDATE',
      description: `Limit of ${type} for ${ownerType} ${account?.name ?? domain?.path ?? ownerId} set to ${max}`,
      resourceType: ownerType === 'account' ? 'Account' : 'Domain',
      resourceId: ownerId,
      ...(account === undefined ? {} : { accountId: account.id, domainId: account.domainId }),
    });
  }

  private async deleteLimitRows(tx: Transaction, ownerId: string): Promise<void> {
    const repo = tx.repo('resourceLimits');
    for (const row of (await repo.find({ where: { ownerId } })).items) await repo.delete(row.id);
  }

  private async decrement(tx: Transaction, key: string, count: number): Promise<void> {
    const current = await tx.counters.get(key);
    await tx.counters.adjust(key, -Math.min(count, current));
  }

  private async domainOf(tx: Transaction, account: Account): Promise<Domain> {
    const domain = await tx.repo('domains').get(account.domainId);
    if (domain === undefined) throw notFound('domain', 'domainid', account.domainId);
    return domain;
  }

  private checkCount(count: number): void {
    if (!Number.isInteger(count) || count < 1) throw invalidParameter('count', 'must be a positive integer');
  }
}
