import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { BUILTIN_IDS, Role, isRootAdmin, type CallContext } from '../context/call-context.js';
import { requireAdmin } from '../context/authorize.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { FieldCondition, Filter, Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, permissionDenied } from '../errors.js';
import { ACCOUNT_TRANSITIONS, AccountRole, type Account, type AccountState } from '../model/account.js';
import type { PasswordHasher } from '../security/password-hash.js';
import { TOKENS } from '../tokens.js';
import { AccountName, Email, NetworkDomainName, Password, PersonName, TimeZone, Username } from './account-inputs.js';
import { accountOrNotFound, assertCanManageAccount, requireAccountManager, userByName } from './account-access.js';
import { AccountRemoval } from './account-removal.js';
import { EventRecorder } from './event-recorder.js';
import { PagingInput, pageWindow } from './paging.js';
import { hashUserPassword } from './user-passwords.js';
import { toUserView, type UserView } from './user-view.js';
import { validate } from './validate.js';
import { Visibility, VisibilityInput } from './visibility.js';

/** Input of {@link AccountService.create}: the account and its first user, as `createAccount`. */
export const CreateAccountInput = z.object({
  /** The account's role (API `accounttype`); a plain user account by default. */
  role: AccountRole.default(Role.User),
  /** The account's name; the username by default. */
  accountName: AccountName.optional(),
  /** The domain; the caller's by default. */
  domainId: z.string().min(1).optional(),
  networkDomain: NetworkDomainName.optional(),
  username: Username,
  password: Password,
  firstName: PersonName,
  lastName: PersonName,
  email: Email,
  timezone: TimeZone.optional(),
});
/** Input of {@link AccountService.create}. */
export type CreateAccountInput = z.input<typeof CreateAccountInput>;

/** Input of {@link AccountService.update}. */
export const UpdateAccountInput = z.object({
  id: z.string().min(1),
  newName: AccountName.optional(),
  networkDomain: NetworkDomainName.optional(),
});
/** Input of {@link AccountService.update}. */
export type UpdateAccountInput = z.input<typeof UpdateAccountInput>;

/** Input of the account state changes and of {@link AccountService.delete}. */
export const AccountIdInput = z.object({ id: z.string().min(1) });
/** Input naming one account. */
export type AccountIdInput = z.input<typeof AccountIdInput>;

/** Filters of {@link AccountService.list}. */
export const ListAccountsInput = VisibilityInput.extend({
  id: z.string().min(1).optional(),
  name: z.string().optional(),
  state: z.enum(['enabled', 'disabled', 'locked']).optional(),
  role: AccountRole.optional(),
  keyword: z.string().optional(),
}).extend(PagingInput.shape);
/** Filters of {@link AccountService.list}. */
export type ListAccountsInput = z.input<typeof ListAccountsInput>;

/** What {@link AccountService.create} returns: the account and its first user. */
export interface CreatedAccount {
  /** The new account. */
  readonly account: Account;
  /** Its first user. */
  readonly user: UserView;
}

const EVENT_OF_STATE: Readonly<Record<AccountState, string>> = {
  enabled: 'ACCOUNT.ENABLE',
  disabled: 'ACCOUNT.DISABLE',
  locked: 'ACCOUNT.LOCK',
};

/**
 * Accounts: create (with the first user), update, disable, lock, enable, delete (releasing
 * everything the account owns through the registered cleanups) and list under the visibility
 * rule.
 */
@injectable()
export class AccountService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(AccountRemoval) private readonly removal: AccountRemoval,
  ) {}

  /**
   * Creates an account and its first user (root and resource-domain admins, in a domain they
   * can see; only a root admin creates root admin accounts).
   */
  async create(caller: CallContext, input: CreateAccountInput): Promise<CreatedAccount> {
    requireAccountManager(caller, 'create accounts');
    const request = validate(CreateAccountInput, input);
    if (request.role === Role.RootAdmin && !isRootAdmin(caller)) {
      throw permissionDenied('Only a root admin may create root admin accounts', 'accounttype');
    }
    const passwordHash = await hashUserPassword(this.hasher, request.password);
    return this.store.transaction(async (tx) => {
      const domain = await this.visibility.visibleDomain(tx, caller, request.domainId ?? caller.domainId);
      const name = request.accountName ?? request.username;
      await this.assertAccountNameFree(tx, domain.id, name, 'accountname');
      if ((await userByName(tx, domain.id, request.username)) !== undefined) {
        throw invalidParameter('username', `The user ${request.username} already exists in domain ${domain.path}`);
      }
      const now = isoNow(this.clock);
      const account = await tx.repo('accounts').insert({
        id: this.random.uuid(),
        name,
        role: request.role,
        domainId: domain.id,
        state: 'enabled',
        ...(request.networkDomain === undefined ? {} : { networkDomain: request.networkDomain }),
        createdAt: now,
      });
      const user = await tx.repo('users').insert({
        id: this.random.uuid(),
        username: request.username,
        accountId: account.id,
        domainId: domain.id,
        passwordHash,
        firstName: request.firstName,
        lastName: request.lastName,
        email: request.email,
        ...(request.timezone === undefined ? {} : { timezone: request.timezone }),
        state: 'enabled',
        loginAttempts: 0,
        mustChangePassword: false,
        createdAt: now,
      });
      const owner = { accountId: account.id, domainId: domain.id };
      await this.events.record(tx, caller, {
        type: 'ACCOUNT.CREATE',
        description: `Created account ${name} in domain ${domain.path}`,
        resourceType: 'Account',
        resourceId: account.id,
        ...owner,
      });
      await this.events.record(tx, caller, {
        type: 'USER.CREATE',
        description: `Created user ${user.username} in account ${name}`,
        resourceType: 'User',
        resourceId: user.id,
        ...owner,
      });
      return { account, user: toUserView(user, account) };
    });
  }

  /** Renames an account or changes its network domain (root and resource-domain admins). */
  async update(caller: CallContext, input: UpdateAccountInput): Promise<Account> {
    requireAccountManager(caller, 'update accounts');
    const change = validate(UpdateAccountInput, input);
    return this.store.transaction(async (tx) => {
      const account = await this.manageable(tx, caller, change.id);
      if (account.id === BUILTIN_IDS.systemAccount) throw invalidParameter('id', 'The system account cannot be changed');
      if (change.newName !== undefined && change.newName.toLowerCase() !== account.name.toLowerCase()) {
        await this.assertAccountNameFree(tx, account.domainId, change.newName, 'newname');
      }
      const updated = await tx.repo('accounts').update({
        ...account,
        ...(change.newName === undefined ? {} : { name: change.newName }),
        ...(change.networkDomain === undefined ? {} : { networkDomain: change.networkDomain }),
      });
      await this.events.record(tx, caller, {
        type: 'ACCOUNT.UPDATE',
        description: `Updated account ${updated.name}`,
        resourceType: 'Account',
        resourceId: account.id,
        accountId: account.id,
        domainId: account.domainId,
      });
      return updated;
    });
  }

  /** Disables an account: its users can no longer log in or use API keys (admins). */
  async disable(caller: CallContext, input: AccountIdInput): Promise<Account> {
    return this.moveTo(caller, input, 'disabled');
  }

  /** Locks an account: its users cannot log in, its resources keep running (admins). */
  async lock(caller: CallContext, input: AccountIdInput): Promise<Account> {
    return this.moveTo(caller, input, 'locked');
  }

  /** Enables a disabled or locked account (admins). */
  async enable(caller: CallContext, input: AccountIdInput): Promise<Account> {
    return this.moveTo(caller, input, 'enabled');
  }

  /**
   * Deletes an account with everything it owns: every area's registered cleanup runs in the same
   * transaction, then its users, keys, counters and limits go (root and resource-domain admins;
   * never the SYSTEM account or the caller's own).
   */
  async delete(caller: CallContext, input: AccountIdInput): Promise<void> {
    requireAccountManager(caller, 'delete accounts');
    const { id } = validate(AccountIdInput, input);
    await this.store.transaction(async (tx) => {
      const account = await this.manageable(tx, caller, id);
      if (account.id === BUILTIN_IDS.systemAccount) throw invalidParameter('id', 'The system account cannot be deleted');
      if (account.id === caller.accountId) throw permissionDenied('An account cannot delete itself', 'id');
      await this.removal.remove(tx, caller, account);
    });
  }

  /** One account the caller may see; 431 not found otherwise. */
  async get(caller: CallContext, id: string): Promise<Account> {
    return this.store.transaction((tx) => this.visibility.visibleAccount(tx, caller, id, 'id'));
  }

  /** Accounts the caller may see (never the SYSTEM account), by name. */
  async list(caller: CallContext, input: ListAccountsInput = {}): Promise<Page<Account>> {
    const query = validate(ListAccountsInput, input);
    return this.store.transaction(async (tx) => {
      const scope = await this.visibility.scope(tx, caller, query);
      if (query.id !== undefined && scope.accountIds !== undefined && !scope.accountIds.includes(query.id)) return { items: [], total: 0 };
      const idCondition: FieldCondition<string> =
        query.id === undefined
          ? { ne: BUILTIN_IDS.systemAccount, ...(scope.accountIds === undefined ? {} : { in: scope.accountIds }) }
          : { eq: query.id, ne: BUILTIN_IDS.systemAccount };
      const where: Filter<Account> = {
        id: idCondition,
        ...(scope.domainIds === undefined ? {} : { domainId: { in: scope.domainIds } }),
        ...(query.name !== undefined ? { name: query.name } : query.keyword !== undefined ? { name: { like: query.keyword } } : {}),
        ...(query.state === undefined ? {} : { state: query.state }),
        ...(query.role === undefined ? {} : { role: query.role }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      return tx.repo('accounts').find({ where, orderBy: [{ field: 'name' }], ...window });
    });
  }

  private async moveTo(caller: CallContext, input: AccountIdInput, target: AccountState): Promise<Account> {
    requireAdmin(caller, `${target === 'enabled' ? 'enable' : target === 'locked' ? 'lock' : 'disable'} accounts`);
    const { id } = validate(AccountIdInput, input);
    return this.store.transaction(async (tx) => {
      const account = await this.manageable(tx, caller, id);
      if (account.id === BUILTIN_IDS.systemAccount) throw invalidParameter('id', 'The system account cannot be changed');
      if (account.id === caller.accountId) throw permissionDenied('An account cannot change its own state', 'id');
      if (account.state === target) return account;
      if (!ACCOUNT_TRANSITIONS[account.state].includes(target)) {
        throw invalidParameter('id', `account ${account.name} is ${account.state} and cannot become ${target}`);
      }
      const updated = await tx.repo('accounts').update({ ...account, state: target });
      await this.events.record(tx, caller, {
        type: EVENT_OF_STATE[target],
        description: `Account ${account.name} is now ${target}`,
        resourceType: 'Account',
        resourceId: account.id,
        accountId: account.id,
        domainId: account.domainId,
      });
      return updated;
    });
  }

  private async manageable(tx: Transaction, caller: CallContext, id: string): Promise<Account> {
    const account = await accountOrNotFound(tx, id);
    await assertCanManageAccount(tx, this.visibility, caller, account, 'account', 'id', id);
    return account;
  }

  private async assertAccountNameFree(tx: Transaction, domainId: string, name: string, param: string): Promise<void> {
    // The store's unique key compares case-insensitively; check first for a clear message.
    const { items } = await tx.repo('accounts').find({ where: { domainId, name: { like: name } } });
    if (items.some((a) => a.name.toLowerCase() === name.toLowerCase())) {
      throw invalidParameter(param, `The specified account: ${name} already exists in this domain`);
    }
  }
}
