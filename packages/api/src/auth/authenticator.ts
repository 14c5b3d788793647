import type { CallContext } from '@cloudstack-sdk/core';

/** The owner of an API key: who a signed request acts as, and the secret it must be signed with. */
export interface ApiKeyIdentity {
  /** The user the key belongs to, as a caller (role from the account type). */
  readonly caller: CallContext;
  /** The user's secret key, in plain text (the authenticator unseals it). */
  readonly secretKey: string;
}

/** A login attempt (reference §1.3): the domain is named by path or by id, ROOT when neither. */
export interface LoginRequest {
  /** The user name. */
  readonly username: string;
  /** The password as sent: plain text, or its MD5 hex (both must be accepted). */
  readonly password: string;
  /** The domain path, normalised to start and end with `/` (`/` is ROOT). */
  readonly domainPath?: string;
  /** The domain id (UUID or numeric), when given instead of a path. */
  readonly domainId?: string;
}

/** A successful login: the caller and the facts the login reply reports. */
export interface LoginResult {
  /** The logged-in user as a caller. */
  readonly caller: CallContext;
  /** The user name. */
  readonly username: string;
  /** First name. */
  readonly firstName: string;
  /** Last name. */
  readonly lastName: string;
  /** The account's name. */
  readonly accountName: string;
  /** Whether the user has registered (4.1's `registered`). */
  readonly registered: boolean;
  /** The user's time zone (Java id such as `America/New_York`), when set. */
  readonly timeZone?: string;
}

/**
 * Where the API finds users: by API key for signed requests, by credentials for session
 * login. Enabled users of enabled accounts only. Implemented over core's accounts service by
 * the product (or the example server).
 */
export interface ApiAuthenticator {
  /**
   * The enabled user holding `apiKey`. Undefined, or a thrown `CloudError`, when there is none:
   * the API answers 401 either way.
   */
  findByApiKey(apiKey: string): Promise<ApiKeyIdentity | undefined>;
  /**
   * Checks credentials. Undefined when the domain, user or password is wrong (the API answers
   * 531 "Failed to authenticate user …"), or a thrown `CloudError` whose code and message the
   * reply carries (core's authentication service throws 531 with CloudStack's message).
   */
  login(request: LoginRequest): Promise<LoginResult | undefined>;
}
