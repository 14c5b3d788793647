import { inject, injectable } from 'tsyringe';
import { BUILTIN_IDS, Role } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store, Transaction } from '../contracts/store.js';
import { ROOT_DOMAIN_PATH } from '../model/domain.js';
import type { PasswordHasher } from '../security/password-hash.js';
import { TOKENS, type Logger } from '../tokens.js';
import { userByName } from './account-access.js';
import { hashUserPassword } from './user-passwords.js';

/** Name of the first-boot admin account and user (guide 5.1: log in as `admin`). */
export const DEFAULT_ADMIN_NAME = 'admin';

/** The first-boot admin's password; the user is flagged until it is changed (guide 5.1.4). */
export const DEFAULT_ADMIN_PASSWORD = 'password';

/** Counter set once the first-boot admin was created, so deleting or renaming it later sticks. */
const ADMIN_CREATED_MARK = 'accounts:bootstrap:admin-created';

/**
 * Creates what every cloud starts with, idempotently: the ROOT domain (`/`), the SYSTEM account
 * and user (root admin; SYSTEM cannot log in), and on first boot the `admin` account and user in
 * ROOT with password `password`, flagged as having to change it. A restart on a store that has
 * them changes nothing, and warns while `admin` still has the default password.
 */
@injectable()
export class AccountBootstrap {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  /** Ensures the built-in rows exist; creates the first-boot admin when it never was. */
  async run(): Promise<void> {
    const needsAdmin = await this.store.transaction(async (tx) => {
      await this.ensureBuiltins(tx);
      return (await tx.counters.get(ADMIN_CREATED_MARK)) === 0;
    });
    if (needsAdmin) {
      // Hash outside the transaction: scrypt is deliberately slow.
      const passwordHash = await hashUserPassword(this.hasher, DEFAULT_ADMIN_PASSWORD);
      await this.store.transaction((tx) => this.createAdmin(tx, passwordHash));
    }
    await this.warnOnDefaultPassword();
  }

  private async ensureBuiltins(tx: Transaction): Promise<void> {
    const now = isoNow(this.clock);
    if ((await tx.repo('domains').get(BUILTIN_IDS.rootDomain)) === undefined) {
      await tx.repo('domains').insert({
        id: BUILTIN_IDS.rootDomain,
        name: 'ROOT',
        path: ROOT_DOMAIN_PATH,
        level: 0,
        state: 'Active',
        createdAt: now,
      });
    }
    if ((await tx.repo('accounts').get(BUILTIN_IDS.systemAccount)) === undefined) {
      await tx.repo('accounts').insert({
        id: BUILTIN_IDS.systemAccount,
        name: 'system',
        role: Role.RootAdmin,
        domainId: BUILTIN_IDS.rootDomain,
        state: 'enabled',
        createdAt: now,
      });
    }
    if ((await tx.repo('users').get(BUILTIN_IDS.systemUser)) === undefined) {
      await tx.repo('users').insert({
        id: BUILTIN_IDS.systemUser,
        username: 'system',
        accountId: BUILTIN_IDS.systemAccount,
        domainId: BUILTIN_IDS.rootDomain,
        firstName: 'system',
        lastName: 'cloud',
        state: 'enabled',
        loginAttempts: 0,
        mustChangePassword: false,
        createdAt: now,
      });
    }
  }

  private async createAdmin(tx: Transaction, passwordHash: string): Promise<void> {
    // Another server sharing the store may have done it meanwhile.
    if ((await tx.counters.get(ADMIN_CREATED_MARK)) !== 0) return;
    await tx.counters.set(ADMIN_CREATED_MARK, 1);
    if ((await userByName(tx, BUILTIN_IDS.rootDomain, DEFAULT_ADMIN_NAME)) !== undefined) return;
    const now = isoNow(this.clock);
    const existing = await tx.repo('accounts').findOne({ domainId: BUILTIN_IDS.rootDomain, name: DEFAULT_ADMIN_NAME });
    const account =
      existing ??
      (await tx.repo('accounts').insert({
        id: this.random.uuid(),
        name: DEFAULT_ADMIN_NAME,
        role: Role.RootAdmin,
        domainId: BUILTIN_IDS.rootDomain,
        state: 'enabled',
        createdAt: now,
      }));
    await tx.repo('users').insert({
      id: this.random.uuid(),
      username: DEFAULT_ADMIN_NAME,
      accountId: account.id,
      domainId: BUILTIN_IDS.rootDomain,
      passwordHash,
      firstName: 'Admin',
      lastName: 'User',
      state: 'enabled',
      loginAttempts: 0,
      mustChangePassword: true,
      createdAt: now,
    });
  }

  private async warnOnDefaultPassword(): Promise<void> {
    const flagged = await this.store.transaction(async (tx) => (await tx.repo('users').find({ where: { mustChangePassword: true } })).items);
    for (const user of flagged) {
      this.logger.warn('User still has its default password; change it (install guide 5.1.4)', { userId: user.id, username: user.username });
    }
  }
}
