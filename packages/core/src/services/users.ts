import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { BUILTIN_IDS, isAdmin, isRootAdmin, Role, type CallContext } from '../context/call-context.js';
import { requireAdmin } from '../context/authorize.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Filter, Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, missingParameter, notFound, permissionDenied } from '../errors.js';
import type { Account } from '../model/account.js';
import { USER_TRANSITIONS, type User, type UserState } from '../model/user.js';
import type { PasswordHasher } from '../security/password-hash.js';
import type { SecretBox } from '../security/secret-box.js';
import { TOKENS } from '../tokens.js';
import { AccountName, Email, Password, PersonName, TimeZone, Username } from './account-inputs.js';
import { accountOrNotFound, assertCanManageAccount, requireAccountManager, userByName } from './account-access.js';
import { EventRecorder } from './event-recorder.js';
import { PagingInput, pageWindow } from './paging.js';
import { hashUserPassword } from './user-passwords.js';
import { toUserView, type UserView } from './user-view.js';
import { validate } from './validate.js';
import { Visibility, VisibilityInput } from './visibility.js';

/** Input of {@link UserService.create}: a further user of an existing account. */
export const CreateUserInput = z.object({
  /** The account, by id. */
  accountId: z.string().min(1).optional(),
  /** The account, by name (in `domainId`, or the caller's domain). */
  account: AccountName.optional(),
  domainId: z.string().min(1).optional(),
  username: Username,
  password: Password,
  firstName: PersonName,
  lastName: PersonName,
  email: Email.optional(),
  timezone: TimeZone.optional(),
});
/** Input of {@link UserService.create}. */
export type CreateUserInput = z.input<typeof CreateUserInput>;

/** Input of {@link UserService.update}; a new `password` is hashed and clears the must-change flag. */
export const UpdateUserInput = z.object({
  id: z.string().min(1),
  username: Username.optional(),
  password: Password.optional(),
  firstName: PersonName.optional(),
  lastName: PersonName.optional(),
  email: Email.optional(),
  timezone: TimeZone.optional(),
});
/** Input of {@link UserService.update}. */
export type UpdateUserInput = z.input<typeof UpdateUserInput>;

/** Input naming one user. */
export const UserIdInput = z.object({ id: z.string().min(1) });
/** Input naming one user. */
export type UserIdInput = z.input<typeof UserIdInput>;

/** Filters of {@link UserService.list}. */
export const ListUsersInput = VisibilityInput.extend({
  id: z.string().min(1).optional(),
  username: z.string().optional(),
  state: z.enum(['enabled', 'disabled', 'locked']).optional(),
  keyword: z.string().optional(),
}).extend(PagingInput.shape);
/** Filters of {@link UserService.list}. */
export type ListUsersInput = z.input<typeof ListUsersInput>;

/** A newly registered API key pair, shown once in full to its requester. */
export interface UserKeys {
  /** The API key (public identifier, sent with each request). */
  readonly apiKey: string;
  /** The secret key requests are signed with. */
  readonly secretKey: string;
}

const EVENT_OF_STATE: Readonly<Record<UserState, string>> = {
  enabled: 'USER.ENABLE',
  disabled: 'USER.DISABLE',
  locked: 'USER.LOCK',
};

/** Bytes of randomness in an API key and in a secret key (86 base64url characters, as 4.1's length). */
const KEY_BYTES = 64;

/**
 * Users of accounts: create, update (including password change), disable, lock, enable,
 * delete, list, and register API keys. Passwords are hashed before anything is stored; secret
 * keys are sealed and opened only for the user itself and admins above it.
 */
@injectable()
export class UserService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(TOKENS.SecretBox) private readonly secrets: SecretBox,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(Visibility) private readonly visibility: Visibility,
  ) {}

  /** Adds a user to an account (root and resource-domain admins above the account). */
  async create(caller: CallContext, input: CreateUserInput): Promise<UserView> {
    requireAccountManager(caller, 'create users');
    const request = validate(CreateUserInput, input);
    if (request.accountId === undefined && request.account === undefined) throw missingParameter('account');
    const passwordHash = await hashUserPassword(this.hasher, request.password);
    return this.store.transaction(async (tx) => {
      const account = await this.visibility.targetAccount(tx, caller, request);
      await assertCanManageAccount(tx, this.visibility, caller, account, 'account', 'account', account.id);
      if (account.id === BUILTIN_IDS.systemAccount) throw invalidParameter('account', 'The system account cannot have further users');
      await this.assertUsernameFree(tx, account.domainId, request.username);
      const user = await tx.repo('users').insert({
        id: this.random.uuid(),
        username: request.username,
        accountId: account.id,
        domainId: account.domainId,
        passwordHash,
        firstName: request.firstName,
        lastName: request.lastName,
        ...(request.email === undefined ? {} : { email: request.email }),
        ...(request.timezone === undefined ? {} : { timezone: request.timezone }),
        state: 'enabled',
        loginAttempts: 0,
        mustChangePassword: false,
        createdAt: isoNow(this.clock),
      });
      await this.record(tx, caller, 'USER.CREATE', `Created user ${user.username} in account ${account.name}`, user);
      return toUserView(user, account);
    });
  }

  /**
   * Updates a user: itself, or an admin above it. A new password is hashed (never stored
   * reversibly), clears the must-change flag and the failed-login count.
   */
  async update(caller: CallContext, input: UpdateUserInput): Promise<UserView> {
    const change = validate(UpdateUserInput, input);
    const passwordHash = change.password === undefined ? undefined : await hashUserPassword(this.hasher, change.password);
    return this.store.transaction(async (tx) => {
      const { user, account } = await this.managed(tx, caller, change.id, true);
      if (user.id === BUILTIN_IDS.systemUser) throw invalidParameter('id', 'The system user cannot be changed');
      if (change.username !== undefined && change.username.toLowerCase() !== user.username.toLowerCase()) {
        await this.assertUsernameFree(tx, user.domainId, change.username);
      }
      const updated = await tx.repo('users').update({
        ...user,
        ...(change.username === undefined ? {} : { username: change.username }),
        ...(change.firstName === undefined ? {} : { firstName: change.firstName }),
        ...(change.lastName === undefined ? {} : { lastName: change.lastName }),
        ...(change.email === undefined ? {} : { email: change.email }),
        ...(change.timezone === undefined ? {} : { timezone: change.timezone }),
        ...(passwordHash === undefined ? {} : { passwordHash, mustChangePassword: false, loginAttempts: 0 }),
      });
      const what = passwordHash === undefined ? 'Updated' : 'Updated (with a new password)';
      await this.record(tx, caller, 'USER.UPDATE', `${what} user ${updated.username}`, updated);
      return this.view(caller, updated, account);
    });
  }

  /** Disables a user: it can no longer log in or use its API key (admins above it). */
  async disable(caller: CallContext, input: UserIdInput): Promise<UserView> {
    return this.moveTo(caller, input, 'disabled');
  }

  /** Locks a user (admins above it). */
  async lock(caller: CallContext, input: UserIdInput): Promise<UserView> {
    return this.moveTo(caller, input, 'locked');
  }

  /** Enables a disabled or locked user and clears its failed-login count (admins above it). */
  async enable(caller: CallContext, input: UserIdInput): Promise<UserView> {
    return this.moveTo(caller, input, 'enabled');
  }

  /** Deletes a user and its keys (root and resource-domain admins; never SYSTEM or oneself). */
  async delete(caller: CallContext, input: UserIdInput): Promise<void> {
    requireAccountManager(caller, 'delete users');
    const { id } = validate(UserIdInput, input);
    await this.store.transaction(async (tx) => {
      const { user } = await this.managed(tx, caller, id, false);
      if (user.id === BUILTIN_IDS.systemUser) throw invalidParameter('id', 'The system user cannot be deleted');
      if (user.id === caller.userId) throw permissionDenied('A user cannot delete itself', 'id');
      await tx.repo('users').delete(user.id, user.version);
      await this.record(tx, caller, 'USER.DELETE', `Deleted user ${user.username}`, user);
    });
  }

  /**
   * Generates a new API key and secret key for a user (the user itself, or an admin above it),
   * replacing any earlier pair. The secret is sealed at rest and returned here in full.
   */
  async registerKeys(caller: CallContext, input: UserIdInput): Promise<UserKeys> {
    const { id } = validate(UserIdInput, input);
    return this.store.transaction(async (tx) => {
      const { user } = await this.managed(tx, caller, id, true);
      if (user.id === BUILTIN_IDS.systemUser) throw invalidParameter('id', 'The system user cannot have API keys');
      const apiKey = Buffer.from(this.random.bytes(KEY_BYTES)).toString('base64url');
      const secretKey = Buffer.from(this.random.bytes(KEY_BYTES)).toString('base64url');
      const updated = await tx.repo('users').update({ ...user, apiKey, sealedSecretKey: this.secrets.seal(secretKey) });
      await this.record(tx, caller, 'REGISTER.USER.KEY', `Registered API keys of user ${user.username}`, updated);
      return { apiKey, secretKey };
    });
  }

  /** One user the caller may see; the secret key only for itself and admins above it. */
  async get(caller: CallContext, id: string): Promise<UserView> {
    return this.store.transaction(async (tx) => {
      const user = await tx.repo('users').get(id);
      if (user === undefined) throw notFound('user', 'id', id);
      await this.visibility.assertCanAccess(tx, caller, user, 'user', 'id', id);
      return this.view(caller, user, await accountOrNotFound(tx, user.accountId));
    });
  }

  /** Users the caller may see (never SYSTEM), by username. */
  async list(caller: CallContext, input: ListUsersInput = {}): Promise<Page<UserView>> {
    const query = validate(ListUsersInput, input);
    return this.store.transaction(async (tx) => {
      const scope = await this.visibility.scope(tx, caller, query);
      const where: Filter<User> = {
        ...this.visibility.ownerFilter(scope),
        id: query.id === undefined ? { ne: BUILTIN_IDS.systemUser } : { eq: query.id, ne: BUILTIN_IDS.systemUser },
        ...(query.username !== undefined
          ? { username: query.username }
          : query.keyword !== undefined
            ? { username: { like: query.keyword } }
            : {}),
        ...(query.state === undefined ? {} : { state: query.state }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const page = await tx.repo('users').find({ where, orderBy: [{ field: 'username' }], ...window });
      const accounts = new Map<string, Account>();
      const items: UserView[] = [];
      for (const user of page.items) {
        let account = accounts.get(user.accountId);
        if (account === undefined) {
          account = await accountOrNotFound(tx, user.accountId);
          accounts.set(account.id, account);
        }
        items.push(await this.view(caller, user, account, tx));
      }
      return { items, total: page.total };
    });
  }

  private async moveTo(caller: CallContext, input: UserIdInput, target: UserState): Promise<UserView> {
    requireAdmin(caller, `${target === 'enabled' ? 'enable' : target === 'locked' ? 'lock' : 'disable'} users`);
    const { id } = validate(UserIdInput, input);
    return this.store.transaction(async (tx) => {
      const { user, account } = await this.managed(tx, caller, id, false);
      if (user.id === BUILTIN_IDS.systemUser) throw invalidParameter('id', 'The system user cannot be changed');
      if (user.id === caller.userId) throw permissionDenied('A user cannot change its own state', 'id');
      if (user.state === target) return this.view(caller, user, account);
      if (!USER_TRANSITIONS[user.state].includes(target)) {
        throw invalidParameter('id', `user ${user.username} is ${user.state} and cannot become ${target}`);
      }
      const updated = await tx.repo('users').update({
        ...user,
        state: target,
        ...(target === 'enabled' ? { loginAttempts: 0 } : {}),
      });
      await this.record(tx, caller, EVENT_OF_STATE[target], `User ${user.username} is now ${target}`, updated);
      return this.view(caller, updated, account);
    });
  }

  /**
   * The user `id` with its account, when `caller` may manage it: an admin above it, or — when
   * `selfAllowed` — the user itself. Other users of the same account read it as not found too.
   */
  private async managed(tx: Transaction, caller: CallContext, id: string, selfAllowed: boolean): Promise<{ user: User; account: Account }> {
    const user = await tx.repo('users').get(id);
    if (user === undefined) throw notFound('user', 'id', id);
    const account = await accountOrNotFound(tx, user.accountId);
    if (selfAllowed && user.id === caller.userId) return { user, account };
    if (!isAdmin(caller)) {
      await this.visibility.assertCanAccess(tx, caller, user, 'user', 'id', id);
      throw permissionDenied('Only the user itself or an admin may do this', 'id');
    }
    await assertCanManageAccount(tx, this.visibility, caller, account, 'user', 'id', id);
    return { user, account };
  }

  private async view(caller: CallContext, user: User, account: Account, tx?: Transaction): Promise<UserView> {
    const entitled =
      user.id === caller.userId ||
      (isAdmin(caller) &&
        (isRootAdmin(caller) || account.role !== Role.RootAdmin) &&
        (tx === undefined || (await this.visibility.canAccess(tx, caller, user))));
    const secret = entitled && user.sealedSecretKey !== undefined ? this.secrets.open(user.sealedSecretKey) : undefined;
    return toUserView(user, account, secret);
  }

  private async assertUsernameFree(tx: Transaction, domainId: string, username: string): Promise<void> {
    if ((await userByName(tx, domainId, username)) !== undefined) {
      throw invalidParameter('username', `The user ${username} already exists in this domain`);
    }
  }

  private async record(tx: Transaction, caller: CallContext, type: string, description: string, user: User): Promise<void> {
    await this.events.record(tx, caller, {
      type,
      description,
      resourceType: 'User',
      resourceId: user.id,
      accountId: user.accountId,
      domainId: user.domainId,
    });
  }
}
