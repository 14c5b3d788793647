import { injectable } from 'tsyringe';
import { z } from 'zod';
import { isAdmin, isRootAdmin, type CallContext } from '../context/call-context.js';
import type { FieldCondition, Transaction } from '../contracts/store.js';
import { notFound } from '../errors.js';
import type { Account } from '../model/account.js';
import type { Domain } from '../model/domain.js';
import { isInSubtree, subtreeIdsOf } from './domain-paths.js';

/**
 * The account and domain scoping parameters every list accepts (reference §2.5): `listall`,
 * `isrecursive`, `domainid` and `account` (an account name, in `domainid` or the caller's
 * domain).
 */
export const VisibilityInput = z.object({
  /** Admins: list everything they may see rather than only their own account's. */
  listAll: z.boolean().optional(),
  /** With `domainId`: include the domains below it. */
  isRecursive: z.boolean().optional(),
  /** Only resources of this domain (and below it with `isRecursive`). */
  domainId: z.string().min(1).optional(),
  /** Only resources of the account with this name (in `domainId`, or the caller's domain). */
  account: z.string().min(1).optional(),
});

/** The scoping parameters of a list. */
export type VisibilityInput = z.input<typeof VisibilityInput>;

/** A list's scoping parameters plus the `id` it may name (an id widens an admin's default scope). */
export interface VisibilityQuery extends VisibilityInput {
  /** The id the list asks for, when it names one. */
  readonly id?: string;
}

/**
 * Which owners a list may return: rows of these accounts, or of accounts in these domains.
 * Neither set means every owner (a root admin listing everything).
 */
export interface VisibilityScope {
  /** Only rows owned by these accounts. */
  readonly accountIds?: readonly string[];
  /** Only rows whose owner is in these domains. */
  readonly domainIds?: readonly string[];
}

/** The owner of a resource: the account and that account's domain. */
export interface ResourceOwner {
  /** The owning account. */
  readonly accountId: string;
  /** The owning account's domain. */
  readonly domainId: string;
}

/**
 * A store filter on the owner fields of a row; spread it into a list's own filter
 * (`{ ...visibility.ownerFilter(scope), state: 'Running' }`).
 */
export interface OwnerFilter {
  /** Condition on the owning account. */
  readonly accountId?: string | FieldCondition<string>;
  /** Condition on the owning account's domain. */
  readonly domainId?: string | FieldCondition<string>;
}

function oneOf(values: readonly string[]): string | FieldCondition<string> {
  return values.length === 1 ? (values[0] as string) : { in: values };
}

/**
 * The one visibility rule of the cloud, used by every list and every lookup by id (rules of the
 * house 2): a user sees its own account; an admin sees its own account unless `listAll`, then
 * its domain subtree — a root admin everything; `domainId`/`isRecursive`/`account` narrow that.
 * A resource the caller may not see reads exactly like one that does not exist (431 not found),
 * so ids of other tenants leak nothing.
 */
@injectable()
export class Visibility {
  /**
   * The owners a list may return for `caller` and its scoping parameters. A `domainId` or
   * `account` the caller may not see fails as not found (431, naming the parameter).
   */
  async scope(tx: Transaction, caller: CallContext, query: VisibilityQuery): Promise<VisibilityScope> {
    const domain = query.domainId === undefined ? undefined : await this.visibleDomain(tx, caller, query.domainId);
    if (query.account !== undefined) {
      const account = await this.accountByName(tx, caller, query.account, domain?.id ?? caller.domainId);
      return { accountIds: [account.id] };
    }
    if (!isAdmin(caller)) return { accountIds: [caller.accountId] };
    if (domain !== undefined) return { domainIds: query.isRecursive === true ? await subtreeIdsOf(tx, domain) : [domain.id] };
    if (query.id === undefined && query.listAll !== true) return { accountIds: [caller.accountId] };
    if (isRootAdmin(caller)) return {};
    return { domainIds: await subtreeIdsOf(tx, await this.callerDomain(tx, caller)) };
  }

  /** The store filter for a scope, on rows with `accountId` and `domainId` owner fields. */
  ownerFilter(scope: VisibilityScope): OwnerFilter {
    return {
      ...(scope.accountIds === undefined ? {} : { accountId: oneOf(scope.accountIds) }),
      ...(scope.domainIds === undefined ? {} : { domainId: oneOf(scope.domainIds) }),
    };
  }

  /**
   * Whether `caller` may see (and, with the role for the operation, act on) a resource of
   * `owner`: its own account's always; any in its domain subtree for an admin; all for a root
   * admin.
   */
  async canAccess(tx: Transaction, caller: CallContext, owner: ResourceOwner): Promise<boolean> {
    if (isRootAdmin(caller) || owner.accountId === caller.accountId) return true;
    if (!isAdmin(caller)) return false;
    return this.domainInCallerSubtree(tx, caller, owner.domainId);
  }

  /**
   * Refuses with the same 431 not-found error as a missing id when `caller` may not see a
   * resource of `owner`; `entity`, `param` and `id` word that error.
   */
  async assertCanAccess(
    tx: Transaction,
    caller: CallContext,
    owner: ResourceOwner,
    entity: string,
    param: string,
    id: string,
  ): Promise<void> {
    if (!(await this.canAccess(tx, caller, owner))) throw notFound(entity, param, id);
  }

  /** Whether `caller` may see a domain: root admins all, admins their subtree, users their own. */
  async canSeeDomain(tx: Transaction, caller: CallContext, domain: Domain): Promise<boolean> {
    if (isRootAdmin(caller)) return true;
    if (!isAdmin(caller)) return domain.id === caller.domainId;
    const own = await tx.repo('domains').get(caller.domainId);
    return own !== undefined && isInSubtree(domain, own);
  }

  /** The domain with this id if `caller` may see it; otherwise 431 not found naming `param`. */
  async visibleDomain(tx: Transaction, caller: CallContext, domainId: string, param = 'domainid'): Promise<Domain> {
    const domain = await tx.repo('domains').get(domainId);
    if (domain === undefined || !(await this.canSeeDomain(tx, caller, domain))) throw notFound('domain', param, domainId);
    return domain;
  }

  /** The account with this id if `caller` may see it; otherwise 431 not found naming `param`. */
  async visibleAccount(tx: Transaction, caller: CallContext, accountId: string, param = 'accountid'): Promise<Account> {
    const account = await tx.repo('accounts').get(accountId);
    if (account === undefined || !(await this.canAccess(tx, caller, { accountId: account.id, domainId: account.domainId }))) {
      throw notFound('account', param, accountId);
    }
    return account;
  }

  /**
   * The account named `name` in domain `domainId` if `caller` may see it; otherwise 431 not found
   * naming `account`.
   */
  async accountByName(tx: Transaction, caller: CallContext, name: string, domainId: string): Promise<Account> {
    const account = await tx.repo('accounts').findOne({ domainId, name });
    if (account === undefined || !(await this.canAccess(tx, caller, { accountId: account.id, domainId: account.domainId }))) {
      throw notFound('account', 'account', name);
    }
    return account;
  }

  /**
   * The account a create or per-account operation acts for: the caller's own unless it names
   * another by id or by name (+ domain), which must be visible to the caller.
   */
  async targetAccount(
    tx: Transaction,
    caller: CallContext,
    target: { readonly accountId?: string; readonly account?: string; readonly domainId?: string },
  ): Promise<Account> {
    if (target.accountId !== undefined) return this.visibleAccount(tx, caller, target.accountId);
    if (target.account !== undefined) {
      const domainId = target.domainId === undefined ? caller.domainId : (await this.visibleDomain(tx, caller, target.domainId)).id;
      return this.accountByName(tx, caller, target.account, domainId);
    }
    if (target.domainId !== undefined) await this.visibleDomain(tx, caller, target.domainId);
    return this.visibleAccount(tx, caller, caller.accountId);
  }

  private async callerDomain(tx: Transaction, caller: CallContext): Promise<Domain> {
    const domain = await tx.repo('domains').get(caller.domainId);
    if (domain === undefined) throw notFound('domain', 'domainid', caller.domainId);
    return domain;
  }

  private async domainInCallerSubtree(tx: Transaction, caller: CallContext, domainId: string): Promise<boolean> {
    const [own, target] = [await tx.repo('domains').get(caller.domainId), await tx.repo('domains').get(domainId)];
    return own !== undefined && target !== undefined && isInSubtree(target, own);
  }
}
