/**
 * The four account roles of CloudStack 4.1, with the account `type` number the API reports for
 * each (`0` user, `1` root admin, `2` domain admin, `3` resource-domain admin).
 */
export const Role = {
  User: 'User',
  RootAdmin: 'RootAdmin',
  DomainAdmin: 'DomainAdmin',
  ResourceDomainAdmin: 'ResourceDomainAdmin',
} as const;

/** One of the {@link Role} values. */
export type Role = (typeof Role)[keyof typeof Role];

/** The account type number CloudStack uses for each role. */
export const ACCOUNT_TYPE_OF_ROLE: Readonly<Record<Role, 0 | 1 | 2 | 3>> = {
  User: 0,
  RootAdmin: 1,
  DomainAdmin: 2,
  ResourceDomainAdmin: 3,
};

/** The role for a CloudStack account type number. */
export function roleOfAccountType(type: number): Role {
  switch (type) {
    case 0:
      return Role.User;
    case 1:
      return Role.RootAdmin;
    case 2:
      return Role.DomainAdmin;
    case 3:
      return Role.ResourceDomainAdmin;
    default:
      throw new RangeError(`Unknown account type ${type}`);
  }
}

/**
 * Who is calling a service: every service method takes one, and authorisation and tenant
 * isolation are decided from it in core, never only in the API layer.
 */
export interface CallContext {
  /** The calling user's id. */
  readonly userId: string;
  /** The account the user belongs to. */
  readonly accountId: string;
  /** The account's domain. */
  readonly domainId: string;
  /** The account's role. */
  readonly role: Role;
  /** Free text for logs and events (the API layer puts the command name and request id here). */
  readonly origin?: string;
}

/** Ids of the built-in ROOT domain and SYSTEM account and user, fixed so every store agrees. */
export const BUILTIN_IDS = {
  /** The ROOT domain (`/`). */
  rootDomain: '00000000-0000-4000-8000-000000000001',
  /** The SYSTEM account (CloudStack's account id 1). */
  systemAccount: '00000000-0000-4000-8000-000000000002',
  /** The SYSTEM user (CloudStack's user id 1). */
  systemUser: '00000000-0000-4000-8000-000000000003',
} as const;

/**
 * The cloud acting on its own behalf: background work (garbage collectors, reconciliation, HA),
 * start-up tasks and the unauthenticated integration port run as SYSTEM, a root admin.
 */
export const SYSTEM: CallContext = Object.freeze({
  userId: BUILTIN_IDS.systemUser,
  accountId: BUILTIN_IDS.systemAccount,
  domainId: BUILTIN_IDS.rootDomain,
  role: Role.RootAdmin,
  origin: 'system',
});

/** True for the root admin role (which SYSTEM has). */
export function isRootAdmin(caller: CallContext): boolean {
  return caller.role === Role.RootAdmin;
}

/** True for any admin role: root, domain or resource-domain admin. */
export function isAdmin(caller: CallContext): boolean {
  return caller.role !== Role.User;
}
