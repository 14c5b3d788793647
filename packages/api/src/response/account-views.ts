import { ACCOUNT_TYPE_OF_ROLE, RESOURCE_TYPE_NUMBERS, type Account, type CloudServices, type Domain, type ResourceLimitView, type ResourceType, type SshKeyPairView, type UserView } from '@cloudstack-sdk/core';
import type { ApiObject } from './api-value.js';
import type { DateFormatter } from './host-views.js';
import type { NameLookup } from './name-lookup.js';

/** A domain (reference §5); `haschild` asks the domain tree. */
export async function domainView(domain: Domain, names: NameLookup, system: CloudServices): Promise<ApiObject> {
  const children = await system.domains.listChildren({ id: domain.id, pageSize: 1, page: 1 });
  return {
    id: domain.id,
    name: domain.name,
    level: domain.level,
    parentdomainid: domain.parentId,
    parentdomainname: (await names.domain(domain.parentId))?.name,
    haschild: children.total > 0,
    networkdomain: domain.networkDomain,
    path: domain.path === '/' ? 'ROOT' : `ROOT${domain.path.replace(/\/$/, '')}`,
  };
}

/** A user (reference §5): the API secret key only when core hands it to this caller. */
export async function userView(user: UserView, names: NameLookup, formatDate: DateFormatter): Promise<ApiObject> {
  return {
    id: user.id,
    username: user.username,
    firstname: user.firstName,
    lastname: user.lastName,
    email: user.email,
    created: formatDate(user.createdAt),
    state: user.state,
    account: user.accountName,
    accounttype: ACCOUNT_TYPE_OF_ROLE[user.role],
    domainid: user.domainId,
    domain: (await names.domain(user.domainId))?.name,
    timezone: user.timezone,
    apikey: user.apiKey,
    secretkey: user.secretKey,
    accountid: user.accountId,
  };
}

/** The `<prefix>limit`/`<prefix>total`/`<prefix>available` field prefix of each resource type in an `account`. */
const LIMIT_PREFIX: Readonly<Record<ResourceType, string>> = {
  user_vm: 'vm',
  public_ip: 'ip',
  volume: 'volume',
  snapshot: 'snapshot',
  template: 'template',
  project: 'project',
  network: 'network',
  vpc: 'vpc',
};

/** An account's `*limit`, `*total` and `*available` fields: limits are strings, `Unlimited` for -1. */
export function limitFields(limits: readonly ResourceLimitView[]): ApiObject {
  const fields: Record<string, string | number> = {};
  for (const limit of limits) {
    const prefix = LIMIT_PREFIX[limit.resourceType];
    fields[`${prefix}limit`] = limit.max === -1 ? 'Unlimited' : String(limit.max);
    fields[`${prefix}total`] = limit.used;
    fields[`${prefix}available`] = limit.max === -1 ? 'Unlimited' : String(Math.max(0, limit.max - limit.used));
  }
  return fields;
}

/** An account (reference §5) with its users and its limits and usage. */
export async function accountView(
  account: Account,
  users: readonly UserView[],
  limits: readonly ResourceLimitView[],
  names: NameLookup,
  formatDate: DateFormatter,
): Promise<ApiObject> {
  const userObjects: ApiObject[] = [];
  for (const user of users) userObjects.push(await userView(user, names, formatDate));
  return {
    id: account.id,
    name: account.name,
    accounttype: ACCOUNT_TYPE_OF_ROLE[account.role],
    domainid: account.domainId,
    domain: (await names.domain(account.domainId))?.name,
    ...limitFields(limits),
    state: account.state,
    user: userObjects,
    networkdomain: account.networkDomain,
  };
}

/** A key pair as `listSSHKeyPairs` shows it; `createSSHKeyPair` adds `privatekey`. */
export function sshKeyPairView(pair: SshKeyPairView & { readonly privateKey?: string }): ApiObject {
  return { name: pair.name, fingerprint: pair.fingerprint, privatekey: pair.privateKey };
}

/** A resource limit as 4.1's `ResourceLimitResponse` shows it: the type as its number, in a string. */
export async function resourceLimitView(limit: ResourceLimitView, names: NameLookup): Promise<ApiObject> {
  return {
    account: limit.accountName,
    domainid: limit.domainId,
    domain: (await names.domain(limit.domainId))?.name,
    resourcetype: String(RESOURCE_TYPE_NUMBERS[limit.resourceType]),
    max: limit.max,
  };
}
