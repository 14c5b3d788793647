import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Transaction } from '../contracts/store.js';
import { ErrorCode, invalidParameter, isCloudError, missingParameter, notFound } from '../errors.js';
import type { Account } from '../model/account.js';
import { DEFAULT_SECURITY_GROUP_NAME, type SecurityGroup } from '../model/security-group.js';
import { TOKENS } from '../tokens.js';
import { Visibility } from './visibility.js';

/** A group named by id, or by name in the caller's account or one an admin names. */
export interface SecurityGroupRef {
  readonly id?: string;
  readonly name?: string;
  readonly account?: string;
  readonly domainId?: string;
}

/** The parameter names a {@link SecurityGroupRef} came from, for errors. */
export interface SecurityGroupRefParams {
  readonly id: string;
  readonly name: string;
}

/** Whether `name` is the reserved `default` (any case). */
export function isDefaultGroupName(name: string): boolean {
  return name.trim().toLowerCase() === DEFAULT_SECURITY_GROUP_NAME;
}

/**
 * Finds security groups for callers under the visibility rule, and keeps every account's
 * `default` group in existence. There is no account-creation hook in core, so the `default`
 * group is created the first time it is needed — when an account's groups are listed, a group
 * is created, a rule names the group, or a VM of the account joins groups — in the transaction
 * that needs it. Two transactions racing to create it (two management servers) meet the
 * store's unique key on account and name: the loser reads the winner's row and goes on.
 */
@injectable()
export class SecurityGroupAccess {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(Visibility) private readonly visibility: Visibility,
  ) {}

  /** The account's `default` group, created (deny all in, allow all out: no rules) when missing. */
  async ensureDefault(tx: Transaction, account: Account): Promise<SecurityGroup> {
    const repo = tx.repo('securityGroups');
    const existing = await repo.findOne({ accountId: account.id, name: DEFAULT_SECURITY_GROUP_NAME });
    if (existing !== undefined) return existing;
    try {
      return await repo.insert({
        id: this.random.uuid(),
        name: DEFAULT_SECURITY_GROUP_NAME,
        description: `Default Security Group`,
        accountId: account.id,
        domainId: account.domainId,
        isDefault: true,
        createdAt: isoNow(this.clock),
      });
    } catch (error) {
      // Another transaction created it first: its row is the account's default group.
      if (!isCloudError(error, ErrorCode.PARAM_ERROR)) throw error;
      const winner = await repo.findOne({ accountId: account.id, name: DEFAULT_SECURITY_GROUP_NAME });
      if (winner === undefined) throw error;
      return winner;
    }
  }

  /** The group of `account` named `name` (any case); the `default` group is ensured. Undefined when none. */
  async byName(tx: Transaction, account: Account, name: string): Promise<SecurityGroup | undefined> {
    if (isDefaultGroupName(name)) return this.ensureDefault(tx, account);
    const wanted = name.trim().toLowerCase();
    const { items } = await tx.repo('securityGroups').find({ where: { accountId: account.id, name: { like: wanted } } });
    return items.find((g) => g.name.toLowerCase() === wanted);
  }

  /** The group with this id if `caller` may see it; otherwise 431 not found naming `param`. */
  async visible(tx: Transaction, caller: CallContext, id: string, param = 'id'): Promise<SecurityGroup> {
    const group = await tx.repo('securityGroups').get(id);
    if (group === undefined || !(await this.visibility.canAccess(tx, caller, group))) throw notFound('security group', param, id);
    return group;
  }

  /**
   * A group by id (visible to the caller) or by name in the caller's account or the one an admin
   * names with `account` + `domainId`; exactly one of id and name (431 otherwise), 431 not
   * found naming the parameter when there is no such group.
   */
  async resolve(tx: Transaction, caller: CallContext, ref: SecurityGroupRef, params: SecurityGroupRefParams): Promise<SecurityGroup> {
    if (ref.id !== undefined && ref.name !== undefined) throw invalidParameter(params.name, `give either ${params.id} or ${params.name}, not both`);
    if (ref.id !== undefined) {
      if (ref.account !== undefined || ref.domainId !== undefined) await this.owner(tx, caller, ref);
      return this.visible(tx, caller, ref.id, params.id);
    }
    if (ref.name === undefined) throw missingParameter(params.id);
    const account = await this.owner(tx, caller, ref);
    const group = await this.byName(tx, account, ref.name);
    if (group === undefined) throw notFound('security group', params.name, ref.name);
    return group;
  }

  /** The account a request acts for: the caller's, or the one an admin names. */
  owner(tx: Transaction, caller: CallContext, ref: { readonly account?: string; readonly domainId?: string }): Promise<Account> {
    return this.visibility.targetAccount(tx, caller, {
      ...(ref.account === undefined ? {} : { account: ref.account }),
      ...(ref.domainId === undefined ? {} : { domainId: ref.domainId }),
    });
  }
}
