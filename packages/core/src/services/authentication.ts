import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { BUILTIN_IDS, Role, type CallContext } from '../context/call-context.js';
import { requireRootAdmin } from '../context/authorize.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store, Transaction } from '../contracts/store.js';
import { CloudError, CsErrorCode, ErrorCode } from '../errors.js';
import type { Account } from '../model/account.js';
import type { Domain } from '../model/domain.js';
import type { User } from '../model/user.js';
import type { PasswordHasher } from '../security/password-hash.js';
import type { SecretBox } from '../security/secret-box.js';
import { TOKENS, type Logger } from '../tokens.js';
import { userByName } from './account-access.js';
import { normaliseDomainPath } from './domain-paths.js';
import { EventRecorder } from './event-recorder.js';
import { verifyUserPassword } from './user-passwords.js';
import { toUserView, type UserView } from './user-view.js';
import { validate } from './validate.js';

/** Input of {@link AuthenticationService.authenticate}, as the `login` command's parameters. */
export const AuthenticateInput = z.object({
  username: z.string().min(1).max(255),
  /** The password, or its MD5 hex. */
  password: z.string().min(1).max(255),
  /** The domain's path (`/`, `Comp1`, `/Comp1/sales/`); ROOT when neither it nor `domainId` is given. */
  domainPath: z.string().max(1024).optional(),
  /** The domain's id, instead of its path. */
  domainId: z.string().min(1).optional(),
});
/** Input of {@link AuthenticationService.authenticate}. */
export type AuthenticateInput = z.input<typeof AuthenticateInput>;

/** A successful login: the caller to act as, and who it is. */
export interface AuthenticatedUser {
  /** The call context for the user's later calls. */
  readonly caller: CallContext;
  /** The user. */
  readonly user: UserView;
  /** The user's account. */
  readonly account: Account;
  /** The account's domain. */
  readonly domain: Domain;
  /** True while the user is on a default password; a server should warn until it is changed. */
  readonly mustChangePassword: boolean;
}

/** The owner of an API key, for the API layer's signature check. */
export interface ApiKeyOwner {
  /** The call context of the key's user. */
  readonly caller: CallContext;
  /** The user. */
  readonly user: UserView;
  /** The opened secret key requests must be signed with. */
  readonly secretKey: string;
}

/**
 * How long a root admin whose failed logins reached `incorrect.login.attempts.allowed` must
 * wait after the last failure before another attempt is even checked. Root admins are
 * throttled rather than disabled, so that guessing cannot lock the cloud's operators out.
 */
export const ROOT_ADMIN_LOGIN_BACKOFF_MS = 60_000;

interface LoginSubject {
  readonly domain: Domain;
  readonly user: User;
  readonly account: Account;
}

function loginFailed(username: string, domain: string): CloudError {
  return new CloudError(
    ErrorCode.ACCOUNT_ERROR,
    `Failed to authenticate user ${username} in domain ${domain}; please provide valid credentials`,
    { csErrorCode: CsErrorCode.SERVER_API },
  );
}

function callerOf(user: User, account: Account, origin: string): CallContext {
  return { userId: user.id, accountId: account.id, domainId: account.domainId, role: account.role, origin };
}

/**
 * Logins and API-key lookups, for the API layer and portals acting as SYSTEM (only a root admin
 * may call them: they hand out call contexts and secret keys). A login accepts the password or
 * its MD5 hex (reference §1.3); consecutive failures count against `incorrect.login.attempts.allowed`,
 * after which a user is disabled (as 4.1 does) — or, for a root admin, throttled.
 */
@injectable()
export class AuthenticationService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(TOKENS.SecretBox) private readonly secrets: SecretBox,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /**
   * Checks a login and returns the user's call context; fails with 531 and CloudStack's message
   * for an unknown domain or user, a wrong password, a throttled root admin, or a disabled or
   * locked user or account.
   */
  async authenticate(caller: CallContext, input: AuthenticateInput): Promise<AuthenticatedUser> {
    requireRootAdmin(caller, 'authenticate users');
    const request = validate(AuthenticateInput, input);
    const domainLabel = request.domainId ?? normaliseDomainPath(request.domainPath);
    const subject = await this.store.transaction((tx) => this.find(tx, request));
    if (subject === undefined || subject.user.passwordHash === undefined) throw loginFailed(request.username, domainLabel);
    const allowed = await this.config.number('incorrect.login.attempts.allowed');
    if (this.throttled(subject, allowed)) throw loginFailed(request.username, domainLabel);
    const matches = await verifyUserPassword(this.hasher, request.password, subject.user.passwordHash);
    const outcome = await this.store.transaction(async (tx) => {
      const user = await tx.repo('users').get(subject.user.id);
      const account = await tx.repo('accounts').get(subject.user.accountId);
      if (user === undefined || account === undefined) return 'failed' as const;
      const self = callerOf(user, account, 'login');
      if (!matches) {
        await this.recordFailure(tx, self, user, account, allowed);
        return 'failed' as const;
      }
      if (user.state !== 'enabled' || account.state !== 'enabled') return 'inactive' as const;
      const current = user.loginAttempts === 0 ? user : await tx.repo('users').update({ ...user, loginAttempts: 0 });
      await this.events.record(tx, self, {
        type: 'USER.LOGIN',
        description: `User ${user.username} logged in`,
        resourceType: 'User',
        resourceId: user.id,
      });
      return { user: current, account };
    });
    if (outcome === 'failed') throw loginFailed(request.username, domainLabel);
    if (outcome === 'inactive') {
      throw new CloudError(
        ErrorCode.ACCOUNT_ERROR,
        `User ${request.username} in domain ${domainLabel} is disabled or locked, or its account is; please contact an administrator`,
        { csErrorCode: CsErrorCode.SERVER_API },
      );
    }
    if (outcome.user.mustChangePassword) {
      this.logger.warn('User is still on its default password; change it (install guide 5.1.4)', {
        userId: outcome.user.id,
        username: outcome.user.username,
      });
    }
    return {
      caller: callerOf(outcome.user, outcome.account, 'login'),
      user: toUserView(outcome.user, outcome.account),
      account: outcome.account,
      domain: subject.domain,
      mustChangePassword: outcome.user.mustChangePassword,
    };
  }

  /**
   * The user an API key belongs to, with its opened secret key; fails with 531 for an unknown
   * key or a disabled or locked user or account. The lookup is by the store's unique index.
   */
  async byApiKey(caller: CallContext, apiKey: string): Promise<ApiKeyOwner> {
    requireRootAdmin(caller, 'look up API keys');
    const refused = () =>
      new CloudError(ErrorCode.ACCOUNT_ERROR, 'Unable to verify user credentials', { csErrorCode: CsErrorCode.SERVER_API });
    if (typeof apiKey !== 'string' || apiKey === '') throw refused();
    return this.store.transaction(async (tx) => {
      const user = await tx.repo('users').findOne({ apiKey });
      if (user === undefined || user.sealedSecretKey === undefined || user.apiKey !== apiKey) throw refused();
      const account = await tx.repo('accounts').get(user.accountId);
      if (account === undefined || user.state !== 'enabled' || account.state !== 'enabled') throw refused();
      const secretKey = this.secrets.open(user.sealedSecretKey);
      return { caller: callerOf(user, account, 'api-key'), user: toUserView(user, account, secretKey), secretKey };
    });
  }

  private async find(tx: Transaction, request: z.output<typeof AuthenticateInput>): Promise<LoginSubject | undefined> {
    const domain =
      request.domainId !== undefined
        ? await tx.repo('domains').get(request.domainId)
        : await this.domainByPath(tx, normaliseDomainPath(request.domainPath));
    if (domain === undefined) return undefined;
    const user = await userByName(tx, domain.id, request.username);
    if (user === undefined || user.id === BUILTIN_IDS.systemUser) return undefined;
    const account = await tx.repo('accounts').get(user.accountId);
    return account === undefined ? undefined : { domain, user, account };
  }

  private async domainByPath(tx: Transaction, path: string): Promise<Domain | undefined> {
    // Paths compare case-insensitively, as the unique key and MySQL's collation compare them.
    const { items } = await tx.repo('domains').find({ where: { path: { like: path } } });
    return items.find((d) => d.path.toLowerCase() === path.toLowerCase());
  }

  private throttled(subject: LoginSubject, allowed: number): boolean {
    if (subject.account.role !== Role.RootAdmin || subject.user.loginAttempts < allowed) return false;
    const last = subject.user.lastFailedLoginAt === undefined ? 0 : Date.parse(subject.user.lastFailedLoginAt);
    return this.clock.now() - last < ROOT_ADMIN_LOGIN_BACKOFF_MS;
  }

  private async recordFailure(tx: Transaction, self: CallContext, user: User, account: Account, allowed: number): Promise<void> {
    if (user.state !== 'enabled') return;
    const attempts = user.loginAttempts + 1;
    const disable = attempts >= allowed && account.role !== Role.RootAdmin;
    await tx.repo('users').update({
      ...user,
      loginAttempts: attempts,
      lastFailedLoginAt: isoNow(this.clock),
      ...(disable ? { state: 'disabled' as const } : {}),
    });
    await this.events.record(tx, self, {
      type: 'USER.LOGIN',
      level: 'ERROR',
      description: `User ${user.username} failed to log in (attempt ${attempts} of ${allowed})`,
      resourceType: 'User',
      resourceId: user.id,
    });
    if (disable) {
      await this.events.record(tx, self, {
        type: 'USER.DISABLE',
        level: 'WARN',
        description: `User ${user.username} disabled after ${attempts} failed logins`,
        resourceType: 'User',
        resourceId: user.id,
      });
      this.logger.warn('User disabled after repeated failed logins', { userId: user.id, attempts });
    }
  }
}
