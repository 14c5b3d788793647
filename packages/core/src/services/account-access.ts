import { Role, isRootAdmin, type CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import { notFound, permissionDenied } from '../errors.js';
import type { Account } from '../model/account.js';
import type { User } from '../model/user.js';
import type { Visibility } from './visibility.js';

/**
 * Refuses (531) callers whose role may not create, rename or delete accounts and users: in
 * CloudStack 4.1 only root and resource-domain admins may (`createAccount` … bitmask 3).
 */
export function requireAccountManager(caller: CallContext, action: string): void {
  if (caller.role !== Role.RootAdmin && caller.role !== Role.ResourceDomainAdmin) {
    throw permissionDenied(`Only a root admin or resource-domain admin may ${action}`);
  }
}

/**
 * Checks that `caller` stands above `account` for managing it: the account is visible to the
 * caller (otherwise 431 not found, as a missing id), and only a root admin manages a root admin
 * account other than its own (otherwise 531).
 */
export async function assertCanManageAccount(
  tx: Transaction,
  visibility: Visibility,
  caller: CallContext,
  account: Account,
  entity: string,
  param: string,
  id: string,
): Promise<void> {
  await visibility.assertCanAccess(tx, caller, { accountId: account.id, domainId: account.domainId }, entity, param, id);
  if (account.role === Role.RootAdmin && !isRootAdmin(caller) && account.id !== caller.accountId) {
    throw permissionDenied(`Only a root admin may manage the root admin account ${account.name}`, param);
  }
}

/** Loads an account, or fails with 431 not found naming `param`. */
export async function accountOrNotFound(tx: Transaction, accountId: string, param = 'id'): Promise<Account> {
  const account = await tx.repo('accounts').get(accountId);
  if (account === undefined) throw notFound('account', param, accountId);
  return account;
}

/**
 * The user with this login name in a domain, compared case-insensitively as the store's unique
 * key (and MySQL's collation) compares it.
 */
export async function userByName(tx: Transaction, domainId: string, username: string): Promise<User | undefined> {
  const { items } = await tx.repo('users').find({ where: { domainId, username: { like: username } } });
  const wanted = username.toLowerCase();
  return items.find((u) => u.username.toLowerCase() === wanted);
}
