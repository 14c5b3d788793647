import { z } from 'zod';
import { Role } from '../context/call-context.js';

/** State of an account, as CloudStack 4.1 reports it (`enabled`, `disabled`, `locked`). */
export const AccountState = z.enum(['enabled', 'disabled', 'locked']);
/** One of the account states. */
export type AccountState = z.infer<typeof AccountState>;

/**
 * Allowed moves between account states. A locked account keeps its running resources but its
 * users cannot log in; a disabled one cannot log in either and (once VMs exist) has them
 * stopped. A disabled account must be enabled before it can be locked.
 */
export const ACCOUNT_TRANSITIONS: Readonly<Record<AccountState, readonly AccountState[]>> = {
  enabled: ['disabled', 'locked'],
  disabled: ['enabled'],
  locked: ['enabled', 'disabled'],
};

/** The account roles as a zod enum (the `Role` values of the call context). */
export const AccountRole = z.enum([Role.User, Role.RootAdmin, Role.DomainAdmin, Role.ResourceDomainAdmin]);

/**
 * An account: the owner of resources, with one or more users, in one domain. Its role
 * (CloudStack's account type) decides what its users may do.
 */
export const AccountSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  /** Account name, unique within its domain (case-insensitively). */
  name: z.string().min(1).max(255),
  /** The role of every user of the account; API `accounttype` 0/1/2/3. */
  role: AccountRole,
  domainId: z.string(),
  state: AccountState,
  /** DNS suffix for the guest networks the account creates. */
  networkDomain: z.string().optional(),
  createdAt: z.string(),
});

/** An account. */
export type Account = z.infer<typeof AccountSchema>;
