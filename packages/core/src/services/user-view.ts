import type { Role } from '../context/call-context.js';
import type { Account } from '../model/account.js';
import type { User, UserState } from '../model/user.js';

/**
 * A user as services return it: never the password hash; the API secret key only, opened, to
 * the user itself and to admins above it.
 */
export interface UserView {
  /** The user's id. */
  readonly id: string;
  /** Login name. */
  readonly username: string;
  /** First name. */
  readonly firstName: string;
  /** Last name. */
  readonly lastName: string;
  /** E-mail address. */
  readonly email?: string;
  /** IANA time zone. */
  readonly timezone?: string;
  /** User state. */
  readonly state: UserState;
  /** The account's id. */
  readonly accountId: string;
  /** The account's name. */
  readonly accountName: string;
  /** The account's role (API `accounttype`). */
  readonly role: Role;
  /** The account's domain. */
  readonly domainId: string;
  /** The API key, once registered. */
  readonly apiKey?: string;
  /** The API secret key, opened, for callers entitled to it. */
  readonly secretKey?: string;
  /** True while the user is still on a default password that must be changed. */
  readonly mustChangePassword: boolean;
  /** ISO creation time. */
  readonly createdAt: string;
}

/** The view of a stored user; `secretKey` is the opened secret when the caller may see it. */
export function toUserView(user: User, account: Account, secretKey?: string): UserView {
  return {
    id: user.id,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    ...(user.email === undefined ? {} : { email: user.email }),
    ...(user.timezone === undefined ? {} : { timezone: user.timezone }),
    state: user.state,
    accountId: account.id,
    accountName: account.name,
    role: account.role,
    domainId: user.domainId,
    ...(user.apiKey === undefined ? {} : { apiKey: user.apiKey }),
    ...(secretKey === undefined ? {} : { secretKey }),
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt,
  };
}
