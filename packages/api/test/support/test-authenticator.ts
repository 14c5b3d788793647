import { createHash } from 'node:crypto';
import { CloudError, ErrorCode, Role, SYSTEM, type CallContext } from '@cloudstack-sdk/core';
import type { ApiAuthenticator, ApiKeyIdentity, LoginRequest, LoginResult } from '../../src/index.js';

/** A user the in-test authenticator knows. */
export interface TestUser {
  readonly caller: CallContext;
  readonly username: string;
  readonly password: string;
  readonly domainPath: string;
  readonly accountName: string;
  readonly apiKey: string;
  readonly secretKey: string;
  readonly timeZone?: string;
  readonly enabled?: boolean;
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * A real, in-memory implementation of the API's authenticator contract: users kept in maps,
 * passwords stored as MD5 hex as 4.1 stores them, and both the plain password and the MD5 hex
 * accepted at login (4.1's MD5 then PlainText authenticator chain).
 */
export class MapAuthenticator implements ApiAuthenticator {
  private readonly byKey = new Map<string, TestUser>();
  private readonly stored = new Map<TestUser, string>();
  private readonly domains = new Map<string, string>();

  constructor(users: readonly TestUser[]) {
    for (const user of users) {
      this.byKey.set(user.apiKey, user);
      this.stored.set(user, md5(user.password));
      this.domains.set(user.domainPath, user.caller.domainId);
    }
  }

  async findByApiKey(apiKey: string): Promise<ApiKeyIdentity | undefined> {
    const user = this.byKey.get(apiKey);
    if (user === undefined) return undefined;
    // A disabled user's key is refused by throwing, as core's authentication service does.
    if (user.enabled === false) throw new CloudError(ErrorCode.ACCOUNT_ERROR, 'Unable to verify user credentials');
    return { caller: user.caller, secretKey: user.secretKey };
  }

  async login(request: LoginRequest): Promise<LoginResult | undefined> {
    const domainId = request.domainId ?? this.domains.get(request.domainPath ?? '/');
    if (domainId === undefined) return undefined;
    for (const [user, hash] of this.stored) {
      if (user.username !== request.username || user.caller.domainId !== domainId) continue;
      if (md5(request.password) !== hash && request.password !== hash) return undefined;
      if (user.enabled === false) {
        throw new CloudError(ErrorCode.ACCOUNT_ERROR, `User ${user.username} in domain ${user.domainPath} is disabled or locked, or its account is; please contact an administrator`);
      }
      return {
        caller: user.caller,
        username: user.username,
        firstName: user.username,
        lastName: 'Tester',
        accountName: user.accountName,
        registered: false,
        ...(user.timeZone === undefined ? {} : { timeZone: user.timeZone }),
      };
    }
    return undefined;
  }
}

const CHILD_DOMAIN = '6f1c1f7e-0d1f-4c43-9a8f-0b7d3c2e1a11';

/** The root admin (`admin`/`password` in `/`, as a fresh 4.1 install has). */
export const ADMIN: TestUser = {
  caller: { userId: 'a1f0c6a2-5f0e-4d6b-9a3e-1c2d3e4f5a60', accountId: 'b2e1d7b3-6a1f-4e7c-8b4f-2d3e4f5a6b71', domainId: SYSTEM.domainId, role: Role.RootAdmin },
  username: 'admin',
  password: 'password',
  domainPath: '/',
  accountName: 'admin',
  apiKey: 'TestApiKey-abcdef',
  secretKey: 'TestSecretKey-0123456789',
  timeZone: 'America/New_York',
};

/** A plain user in the child domain `/child/`. */
export const USER: TestUser = {
  caller: { userId: 'c3f2e8c4-7b20-4f8d-9c50-3e4f5a6b7c82', accountId: 'd4a3f9d5-8c31-4a9e-8d61-4f5a6b7c8d93', domainId: CHILD_DOMAIN, role: Role.User },
  username: 'alice',
  password: 'alice-secret',
  domainPath: '/child/',
  accountName: 'alice-account',
  apiKey: 'AliceApiKey',
  secretKey: 'AliceSecretKey',
};

/** A disabled user: its key must not work. */
export const DISABLED: TestUser = {
  ...USER,
  caller: { ...USER.caller, userId: 'e5b4a0e6-9d42-4b0f-9e72-5a6b7c8d9ea4' },
  username: 'mallory',
  apiKey: 'DisabledKey',
  secretKey: 'DisabledSecret',
  enabled: false,
};
