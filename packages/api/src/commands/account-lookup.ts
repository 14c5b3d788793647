import { invalidParameter, missingParameter, type Account, type UserView } from '@cloudstack-sdk/core';
import { accountView } from '../response/account-views.js';
import type { ApiObject } from '../response/api-value.js';
import { NameLookup } from '../response/name-lookup.js';
import type { CommandContext } from './command.js';

/** The account a command names: by `id`, or by `account` name in `domainid` (4.1 takes either). */
export async function accountIdOf(context: CommandContext, params: { readonly id?: string; readonly account?: string; readonly domainid?: string }): Promise<string> {
  if (params.id !== undefined) return params.id;
  if (params.account === undefined) throw missingParameter('id');
  if (params.domainid === undefined) throw missingParameter('domainid');
  const [account] = (await context.services.accounts.list({ name: params.account, domainId: params.domainid, listAll: true })).items.filter((a) => a.name === params.account);
  if (account === undefined) throw invalidParameter('account', `Unable to find account ${params.account} in domain ${params.domainid}`);
  return account.id;
}

/** An account as the caller sees it, with its users and limits. */
export async function accountObject(context: CommandContext, account: Account, names = new NameLookup(context.cloud.system)): Promise<ApiObject> {
  const users: UserView[] = (await context.services.users.list({ domainId: account.domainId, account: account.name, pageSize: -1 })).items;
  const limits = await context.services.resourceLimits.list({ accountId: account.id });
  return accountView(account, users, limits, names, context.formatDate);
}
