import { AccountBootstrap } from './account-bootstrap.js';
import { AccountCleanup } from './account-cleanup.js';
import { AccountRemoval } from './account-removal.js';
import { AccountService } from './accounts.js';
import type { AreaModule } from './area-module.js';
import { AuthenticationService } from './authentication.js';
import { bindCaller, type BoundService } from './bind-caller.js';
import { DomainService } from './domains.js';
import { ResourceLimitService } from './resource-limits.js';
import { SshKeyGenerator } from './ssh-key-generator.js';
import { SshKeyPairService, deleteSshKeyPairsOf } from './ssh-key-pairs.js';
import { UserService } from './users.js';
import { Visibility } from './visibility.js';

/** The caller-facing part of {@link ResourceLimitService}: listing and updating limits. */
export interface ResourceLimitFacade {
  /** Limits and usage of an account or domain; see {@link ResourceLimitService.list}. */
  readonly list: BoundService<ResourceLimitService>['list'];
  /** Sets a limit; see {@link ResourceLimitService.update}. */
  readonly update: BoundService<ResourceLimitService>['update'];
}

/** The caller-bound services of the accounts area. */
export interface AccountServices {
  /** The domain tree. */
  readonly domains: BoundService<DomainService>;
  /** Accounts. */
  readonly accounts: BoundService<AccountService>;
  /** Users and their API keys. */
  readonly users: BoundService<UserService>;
  /** Logins and API-key lookups (root admin callers: the API layer runs them as SYSTEM). */
  readonly authentication: BoundService<AuthenticationService>;
  /** SSH key pairs. */
  readonly sshKeyPairs: BoundService<SshKeyPairService>;
  /** Resource limits. */
  readonly resourceLimits: ResourceLimitFacade;
}

/** Domains, accounts, users, API keys, SSH key pairs and resource limits. */
export const accountsModule: AreaModule<AccountServices> = {
  name: 'accounts',
  services: [
    Visibility,
    AccountCleanup,
    ResourceLimitService,
    AccountRemoval,
    AccountBootstrap,
    DomainService,
    AccountService,
    UserService,
    AuthenticationService,
    SshKeyGenerator,
    SshKeyPairService,
  ],
  async start(container) {
    await container.resolve(AccountBootstrap).run();
    container.resolve(AccountCleanup).register('ssh-key-pairs', deleteSshKeyPairsOf);
  },
  facade(container, caller) {
    const limits = container.resolve(ResourceLimitService);
    return {
      domains: bindCaller(container.resolve(DomainService), caller),
      accounts: bindCaller(container.resolve(AccountService), caller),
      users: bindCaller(container.resolve(UserService), caller),
      authentication: bindCaller(container.resolve(AuthenticationService), caller),
      sshKeyPairs: bindCaller(container.resolve(SshKeyPairService), caller),
      resourceLimits: Object.freeze({
        list: (...args: Parameters<ResourceLimitFacade['list']>) => limits.list(caller, ...args),
        update: (...args: Parameters<ResourceLimitFacade['update']>) => limits.update(caller, ...args),
      }),
    };
  },
};

