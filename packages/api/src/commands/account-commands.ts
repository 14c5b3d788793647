import { roleOfAccountType, type Account } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { NameLookup } from '../response/name-lookup.js';
import { accountIdOf, accountObject } from './account-lookup.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandContext } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';

const NAMED_ACCOUNT = {
  id: param.uuid('Account id'),
  account: param.string('the account name; needs domainid'),
  domainid: param.uuid('the domain ID of the account named by account'),
} as const;

function objectOf(context: CommandContext, account: Account) {
  return accountObject(context, account);
}

/** `createAccount`: an account and its first user (root and resource-domain admins). */
export const createAccount = defineCommand({
  ...catalogFacts('createAccount'),
  kind: 'sync',
  objectName: 'account',
  description: 'Creates an account',
  params: {
    accounttype: param.integer('Type of the account.  Specify 0 for user, 1 for root admin, and 2 for domain admin', { required: true }),
    account: param.string('Creates the user under the specified account. If no account is specified, the username will be used as the account name.'),
    domainid: param.uuid('Creates the user under the specified domain.'),
    networkdomain: param.string("Network domain for the account's networks"),
    username: param.string('Unique username.', { required: true }),
    password: param.string('Hashed password (Default is MD5). If you wish to use any other hashing algorithm, you would need to write a custom authentication adapter See Docs section.', { required: true }),
    firstname: param.string('firstname', { required: true }),
    lastname: param.string('lastname', { required: true }),
    email: param.string('email', { required: true }),
    timezone: param.string('Specifies a timezone for this command. For more information on the timezone parameter, see Time Zone Format.'),
  },
  async execute(context, params) {
    const created = await context.services.accounts.create({
      role: roleOfAccountType(params.accounttype),
      username: params.username,
      password: params.password,
      firstName: params.firstname,
      lastName: params.lastname,
      email: params.email,
      ...defined({ accountName: params.account, domainId: params.domainid, networkDomain: params.networkdomain, timezone: params.timezone }),
    });
    return { type: 'object', object: await objectOf(context, created.account) };
  },
});

/** `updateAccount`: renames an account or changes its network domain (root and resource-domain admins). */
export const updateAccount = defineCommand({
  ...catalogFacts('updateAccount'),
  kind: 'sync',
  objectName: 'account',
  description: 'Updates account information for the authenticated user',
  params: {
    ...NAMED_ACCOUNT,
    newname: param.string('new name for the account', { required: true }),
    networkdomain: param.string("Network domain for the account's networks"),
  },
  async execute(context, params) {
    const id = await accountIdOf(context, params);
    const account = await context.services.accounts.update({ id, newName: params.newname, ...defined({ networkDomain: params.networkdomain }) });
    return { type: 'object', object: await objectOf(context, account) };
  },
});

/** `disableAccount`: disables (or with `lock=true` locks) an account, as a job (admins). */
export const disableAccount = defineCommand({
  ...catalogFacts('disableAccount'),
  kind: 'async',
  objectName: 'account',
  description: 'Disables an account',
  params: {
    ...NAMED_ACCOUNT,
    lock: param.boolean('If true, only lock the account; else disable the account', { required: true }),
  },
  async start(context, params) {
    const id = await accountIdOf(context, params);
    await context.services.accounts.get(id);
    return {
      instanceType: 'Account',
      instanceId: id,
      async work() {
        const account = params.lock ? await context.services.accounts.lock({ id }) : await context.services.accounts.disable({ id });
        return { type: 'object', object: await objectOf(context, account) };
      },
    };
  },
});

/** `enableAccount`: re-enables a disabled or locked account (admins). */
export const enableAccount = defineCommand({
  ...catalogFacts('enableAccount'),
  kind: 'sync',
  objectName: 'account',
  description: 'Enables an account',
  params: NAMED_ACCOUNT,
  async execute(context, params) {
    const account = await context.services.accounts.enable({ id: await accountIdOf(context, params) });
    return { type: 'object', object: await objectOf(context, account) };
  },
});

/** `lockAccount`: locks an account: its users cannot log in (admins). */
export const lockAccount = defineCommand({
  ...catalogFacts('lockAccount'),
  kind: 'sync',
  objectName: 'account',
  description: 'Locks an account',
  params: {
    account: param.string('Locks the specified account.', { required: true }),
    domainid: param.uuid('Locks the specified account on this domain.', { required: true }),
  },
  async execute(context, params) {
    const account = await context.services.accounts.lock({ id: await accountIdOf(context, params) });
    return { type: 'object', object: await objectOf(context, account) };
  },
});

/** `deleteAccount`: deletes an account and everything it owns, as a job (root and resource-domain admins). */
export const deleteAccount = defineCommand({
  ...catalogFacts('deleteAccount'),
  kind: 'async',
  description: 'Deletes a account, and all users associated with this account',
  params: { id: param.uuid('Account id', { required: true }) },
  async start(context, params) {
    await context.services.accounts.get(params.id);
    return {
      instanceType: 'Account',
      instanceId: params.id,
      async work() {
        await context.services.accounts.delete({ id: params.id });
        return { type: 'success' };
      },
    };
  },
});

const STATES = ['enabled', 'disabled', 'locked'] as const;

/** `listAccounts`: the accounts the caller may see (everyone: a user sees its own). */
export const listAccounts = defineCommand({
  ...catalogFacts('listAccounts'),
  kind: 'list',
  objectName: 'account',
  description: 'Lists accounts and provides detailed account information for listed accounts',
  params: {
    id: param.uuid('list account by account ID'),
    name: param.string('list account by account name'),
    accounttype: param.integer('list accounts by account type. Valid account types are 1 (admin), 2 (domain-admin), and 0 (user).'),
    state: param.oneOf('list accounts by state. Valid states are enabled, disabled, and locked.', STATES),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const page = await context.services.accounts.list({
      ...scopingInput(params),
      ...defined({ id: params.id, name: params.name, state: params.state, keyword: params.keyword, role: params.accounttype === undefined ? undefined : roleOfAccountType(params.accounttype) }),
      ...pagingInput(params),
    });
    const names = new NameLookup(context.cloud.system);
    const items = [];
    for (const account of page.items) items.push(await accountObject(context, account, names));
    return { items, count: page.total };
  },
});
