import { expect } from 'vitest';
import { CloudError, Role, SYSTEM, type CallContext, type Cloud, type CloudOptions, type CreatedAccount } from '../../src/index.js';
import { createTestCloud } from '../support/test-cloud.js';

/** A caller made from a created account's first user. */
export function callerOf(created: CreatedAccount): CallContext {
  return { userId: created.user.id, accountId: created.account.id, domainId: created.account.domainId, role: created.account.role };
}

/**
 * A cloud with two tenant domains, as the guide's examples: `/Comp1/` (with `/Comp1/sales/`)
 * and `/Comp2/`, each with a domain admin and users, plus a second root admin.
 */
export async function tenantCloud(options: CloudOptions = {}) {
  const cloud = await createTestCloud(options);
  const sys = cloud.system;
  const comp1 = await sys.domains.create({ name: 'Comp1' });
  const sales = await sys.domains.create({ name: 'sales', parentDomainId: comp1.id });
  const comp2 = await sys.domains.create({ name: 'Comp2' });
  const account = (name: string, domainId: string, role: Role = Role.User) =>
    sys.accounts.create({ role, username: name, password: `${name}-pw-1`, firstName: name, lastName: 'Tester', email: `${name}@example.com`, domainId });
  const root2 = await account('root2', SYSTEM.domainId, Role.RootAdmin);
  const admin1 = await account('admin1', comp1.id, Role.DomainAdmin);
  const alice = await account('alice', comp1.id);
  const sam = await account('sam', sales.id);
  const admin2 = await account('admin2', comp2.id, Role.DomainAdmin);
  const bob = await account('bob', comp2.id);
  const resadmin1 = await account('resadmin1', comp1.id, Role.ResourceDomainAdmin);
  return {
    cloud,
    domains: { comp1, sales, comp2 },
    accounts: { root2, admin1, alice, sam, admin2, bob, resadmin1 },
    as: {
      root2: callerOf(root2),
      admin1: callerOf(admin1),
      alice: callerOf(alice),
      sam: callerOf(sam),
      admin2: callerOf(admin2),
      bob: callerOf(bob),
      resadmin1: callerOf(resadmin1),
    },
  };
}

/** The tenant cloud type. */
export type TenantCloud = Awaited<ReturnType<typeof tenantCloud>>;

/** Runs `fn`, expecting a CloudError with `code` (and `param` when given); returns it. */
export async function refused(fn: () => Promise<unknown>, code: number, param?: string): Promise<CloudError> {
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CloudError);
  const cloudError = error as CloudError;
  expect(cloudError.code).toBe(code);
  if (param !== undefined) expect(cloudError.param).toBe(param);
  return cloudError;
}

/** Row counts of every accounts-area table, events included, and the store's counters. */
export async function snapshot(cloud: Cloud): Promise<Record<string, number | string>> {
  return cloud.store.transaction(async (tx) => ({
    domains: await tx.repo('domains').count(),
    accounts: await tx.repo('accounts').count(),
    users: await tx.repo('users').count(),
    sshKeyPairs: await tx.repo('sshKeyPairs').count(),
    resourceLimits: await tx.repo('resourceLimits').count(),
    events: await tx.repo('events').count(),
    counters: JSON.stringify(Object.fromEntries(await tx.counters.list('limits:'))),
    usersJson: JSON.stringify((await tx.repo('users').find()).items),
    accountsJson: JSON.stringify((await tx.repo('accounts').find()).items),
  }));
}

/** Expects a refusal that leaves the store exactly as it was. */
export async function refusedUnchanged(cloud: Cloud, fn: () => Promise<unknown>, code: number, param?: string): Promise<CloudError> {
  const before = await snapshot(cloud);
  const error = await refused(fn, code, param);
  expect(await snapshot(cloud)).toEqual(before);
  return error;
}
