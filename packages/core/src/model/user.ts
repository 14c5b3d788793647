import { z } from 'zod';

/** State of a user, as CloudStack 4.1 reports it. */
export const UserState = z.enum(['enabled', 'disabled', 'locked']);
/** One of the user states. */
export type UserState = z.infer<typeof UserState>;

/**
 * Allowed moves between user states. Repeated failed logins disable a user (as 4.1 does with
 * `incorrect.login.attempts.allowed`); an admin enables it again.
 */
export const USER_TRANSITIONS: Readonly<Record<UserState, readonly UserState[]>> = {
  enabled: ['disabled', 'locked'],
  disabled: ['enabled'],
  locked: ['enabled', 'disabled'],
};

/**
 * A user: a login of an account. The password is kept only as a scrypt hash of its MD5 hex
 * (so both forms a 4.1 client may send verify, and neither is stored); the API secret key is
 * sealed with the cloud's key.
 */
export const UserSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  /** Login name, unique within the domain (case-insensitively). */
  username: z.string().min(1).max(255),
  accountId: z.string(),
  /** The account's domain, kept here so a login finds the user by domain and name. */
  domainId: z.string(),
  /** `scrypt$…` of the password's MD5 hex; absent for a user that cannot log in (SYSTEM). */
  passwordHash: z.string().optional(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().optional(),
  timezone: z.string().optional(),
  state: UserState,
  /** API key: public identifier of the key pair, unique. */
  apiKey: z.string().optional(),
  /** API secret key, sealed (`sealed:v1:…`). */
  sealedSecretKey: z.string().optional(),
  /** Failed logins since the last success. */
  loginAttempts: z.number().int().min(0),
  /** When the last failed login happened (ISO time). */
  lastFailedLoginAt: z.string().optional(),
  /** Set for a user still on a default password (the first-boot `admin`); cleared by a change. */
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
});

/** A user as stored. */
export type User = z.infer<typeof UserSchema>;
