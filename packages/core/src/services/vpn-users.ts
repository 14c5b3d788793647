import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Filter, Page, Store, Transaction } from '../contracts/store.js';
import { internalError, invalidParameter } from '../errors.js';
import type { Account } from '../model/account.js';
import type { VpnUser } from '../model/vpn-user.js';
import type { SecretBox } from '../security/secret-box.js';
import { TOKENS, type Logger } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { pageWindow } from './paging.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';
import { VpnAccess } from './vpn-access.js';
import { AddVpnUserInput, ListVpnUsersInput, VpnUserRefInput } from './vpn-inputs.js';
import { VpnViews, type VpnUserView } from './vpn-views.js';

/** The counter of an account's VPN users, claimed against `remote.access.vpn.user.limit`. */
export function vpnUserCounterKey(accountId: string): string {
  return `vpn-users:${accountId}`;
}

/**
 * VPN users (install guide 13.17): each account keeps its own VPN users, apart from the cloud's
 * users, shared by every remote-access VPN of the account; at most
 * `remote.access.vpn.user.limit` of them (claimed atomically on a counter, so two management
 * servers cannot overrun it). Names and passwords follow CloudStack 4.1's rules; passwords rest
 * sealed with the cloud's key. Adding or removing a user re-applies every VPN of the account, one
 * network at a time through the rule engine: a user is `Add` until every router has it, then
 * `Active`; a removed one is `Revoke` until every router has the list without it, then gone. A
 * router that refuses undoes the change: the user goes (or is back), and the routers already
 * told are told again.
 */
@injectable()
export class VpnUserService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.SecretBox) private readonly secrets: SecretBox,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(VpnAccess) private readonly access: VpnAccess,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /**
   * Adds a VPN user to the caller's account, or to one an admin names (`addVpnUser`), and gives
   * it to every VPN of the account. 431 naming the parameter: a username or password CloudStack
   * refuses, a username the account has already (any case), the account at its
   * `remote.access.vpn.user.limit` (`username`), an account the caller cannot see (`account`).
   * 534 when a router refuses (the user is then not kept).
   */
  async add(caller: CallContext, input: AddVpnUserInput): Promise<VpnUserView> {
    const spec = validate(AddVpnUserInput, input);
    const staged = await this.store.transaction(async (tx) => {
      const owner = await this.owner(tx, caller, spec);
      if ((await this.byUsername(tx, owner, spec.username)) !== undefined) throw invalidParameter('username', `VPN user ${spec.username} already exists for account ${owner.name}`);
      const limit = await this.config.number('remote.access.vpn.user.limit', {}, tx);
      const claim = await tx.counters.adjust(vpnUserCounterKey(owner.id), 1, { max: limit });
      if (!claim.ok) throw invalidParameter('username', `account ${owner.name} already has ${claim.value} VPN users; remote.access.vpn.user.limit allows at most ${limit}`);
      const now = isoNow(this.clock);
      const user = await tx.repo('vpnUsers').insert({
        id: this.random.uuid(),
        accountId: owner.id,
        domainId: owner.domainId,
        username: spec.username,
        passwordSealed: this.secrets.seal(spec.password),
        state: 'Add',
        createdAt: now,
        updatedAt: now,
      });
      const networkIds = await this.access.networkIdsOf(tx, owner.id);
      if (networkIds.length === 0) await this.added(tx, caller, user.id);
      return { user, networkIds };
    });
    if (staged.networkIds.length > 0) {
      await this.applyAll(staged.networkIds, (tx) => this.forget(tx, staged.user.id));
      await this.store.transaction((tx) => this.added(tx, caller, staged.user.id));
    }
    return this.view(caller, staged.user.id);
  }

  /**
   * Removes a VPN user of the caller's account, or of one an admin names (`removeVpnUser`), from
   * every VPN of the account. 431 naming `username` when the account has no such user (or it is
   * being removed); 534 when a router refuses (the user then stays).
   */
  async remove(caller: CallContext, input: VpnUserRefInput): Promise<void> {
    const spec = validate(VpnUserRefInput, input);
    const staged = await this.store.transaction(async (tx) => {
      const owner = await this.owner(tx, caller, spec);
      const user = await this.byUsername(tx, owner, spec.username);
      if (user === undefined || user.state === 'Revoke') throw invalidParameter('username', `account ${owner.name} has no VPN user ${spec.username}`);
      await tx.repo('vpnUsers').update({ ...user, state: 'Revoke', updatedAt: isoNow(this.clock) });
      const networkIds = await this.access.networkIdsOf(tx, owner.id);
      if (networkIds.length === 0) await this.removed(tx, caller, user);
      return { user, networkIds };
    });
    if (staged.networkIds.length === 0) return;
    await this.applyAll(staged.networkIds, async (tx) => {
      const current = await tx.repo('vpnUsers').get(staged.user.id);
      if (current !== undefined) await tx.repo('vpnUsers').update({ ...current, state: staged.user.state, updatedAt: isoNow(this.clock) });
    });
    await this.store.transaction((tx) => this.removed(tx, caller, staged.user));
  }

  /**
   * The VPN user named `username` (any case) of the caller's account, or of one an admin names;
   * 431 naming `username` when the account has none (or it is being removed).
   */
  async get(caller: CallContext, input: VpnUserRefInput): Promise<VpnUserView> {
    const spec = validate(VpnUserRefInput, input);
    return this.store.transaction(async (tx) => {
      const owner = await this.owner(tx, caller, spec);
      const user = await this.byUsername(tx, owner, spec.username);
      if (user === undefined || user.state === 'Revoke') throw invalidParameter('username', `account ${owner.name} has no VPN user ${spec.username}`);
      return new VpnViews(tx, caller, this.secrets).user(user);
    });
  }

  /**
   * The active VPN users the caller may see (`listVpnUsers`), by username, filtered by `id`,
   * `username` and `keyword` (part of the username).
   */
  async list(caller: CallContext, input: ListVpnUsersInput = {}): Promise<Page<VpnUserView>> {
    const query = validate(ListVpnUsersInput, input);
    return this.store.transaction(async (tx) => {
      const scope = await this.visibility.scope(tx, caller, query);
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const keyword = query.keyword === undefined || query.keyword === '' ? undefined : query.keyword;
      const where: Filter<VpnUser> = {
        ...this.visibility.ownerFilter(scope),
        state: 'Active',
        ...(query.id === undefined ? {} : { id: query.id }),
        ...(query.username !== undefined ? { username: query.username } : keyword === undefined ? {} : { username: { like: keyword } }),
      };
      if (query.username !== undefined && keyword !== undefined && !query.username.toLowerCase().includes(keyword.toLowerCase())) return { items: [], total: 0 };
      const page = await tx.repo('vpnUsers').find({ where, orderBy: [{ field: 'username' }, { field: 'id' }], offset: window.offset, ...(window.limit === undefined ? {} : { limit: window.limit }) });
      const views = new VpnViews(tx, caller, this.secrets);
      const items: VpnUserView[] = [];
      for (const user of page.items) items.push(await views.user(user));
      return { items, total: page.total };
    });
  }

  /**
   * Re-applies the rule set of each network (its router takes the account's users as the store
   * holds them now). When one refuses, `undo` puts the user back as it was, the networks already
   * told are told again (a failure there is logged: their next apply carries the right list), and
   * the refusal is raised.
   */
  private async applyAll(networkIds: readonly string[], undo: (tx: Transaction) => Promise<void>): Promise<void> {
    const told: string[] = [];
    try {
      for (const networkId of networkIds) {
        await this.ruleSync.change(networkId, async () => ({ value: undefined }));
        told.push(networkId);
      }
    } catch (error) {
      await this.store.transaction(undo);
      for (const networkId of told) {
        await this.ruleSync.sync(networkId).catch((again: unknown) => {
          this.logger.warn('could not re-apply a VPN after a VPN user change was undone', { networkId, error: again instanceof Error ? again.message : String(again) });
        });
      }
      throw error;
    }
  }

  /** The account a user call acts for: the caller's own, or the one an admin names. */
  private owner(tx: Transaction, caller: CallContext, spec: { readonly account?: string | undefined; readonly domainId?: string | undefined }): Promise<Account> {
    return this.visibility.targetAccount(tx, caller, { ...(spec.account === undefined ? {} : { account: spec.account }), ...(spec.domainId === undefined ? {} : { domainId: spec.domainId }) });
  }

  /** The account's VPN user named `username`, compared in any case (as CloudStack's database does). */
  private async byUsername(tx: Transaction, owner: Account, username: string): Promise<VpnUser | undefined> {
    const wanted = username.toLowerCase();
    return (await tx.repo('vpnUsers').find({ where: { accountId: owner.id } })).items.find((u) => u.username.toLowerCase() === wanted);
  }

  /** Every router has the user: it is `Active`, and the event is recorded. */
  private async added(tx: Transaction, caller: CallContext, userId: string): Promise<void> {
    const user = await tx.repo('vpnUsers').get(userId);
    if (user === undefined) throw internalError(`VPN user ${userId} vanished while it was being added`);
    await tx.repo('vpnUsers').update({ ...user, state: 'Active', updatedAt: isoNow(this.clock) });
    await this.events.record(tx, caller, { accountId: user.accountId, domainId: user.domainId, type: 'VPN.USER.ADD', resourceType: 'VpnUser', resourceId: user.id, description: `Added VPN user ${user.username}` });
  }

  /** Every router has the list without the user: it goes, with its claim on the limit. */
  private async removed(tx: Transaction, caller: CallContext, user: VpnUser): Promise<void> {
    await this.forget(tx, user.id);
    await this.events.record(tx, caller, { accountId: user.accountId, domainId: user.domainId, type: 'VPN.USER.REMOVE', resourceType: 'VpnUser', resourceId: user.id, description: `Removed VPN user ${user.username}` });
  }

  /** Deletes a user row and gives back its claim on the account's limit. */
  private async forget(tx: Transaction, userId: string): Promise<void> {
    const user = await tx.repo('vpnUsers').get(userId);
    if (user === undefined) return;
    await tx.repo('vpnUsers').delete(user.id);
    await tx.counters.adjust(vpnUserCounterKey(user.accountId), -1, { min: 0 });
  }

  private view(caller: CallContext, id: string): Promise<VpnUserView> {
    return this.store.transaction(async (tx) => {
      const user = await tx.repo('vpnUsers').get(id);
      if (user === undefined) throw internalError(`VPN user ${id} vanished after it was added`);
      return new VpnViews(tx, caller, this.secrets).user(user);
    });
  }
}
