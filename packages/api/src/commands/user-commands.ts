import type { UserView } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { userView } from '../response/account-views.js';
import { NameLookup } from '../response/name-lookup.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandContext } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';

function objectOf(context: CommandContext, user: UserView) {
  return userView(user, new NameLookup(context.cloud.system), context.formatDate);
}

const USER_ID = { id: param.uuid('User id', { required: true }) } as const;

/** `createUser`: a further user of an existing account (root and resource-domain admins). */
export const createUser = defineCommand({
  ...catalogFacts('createUser'),
  kind: 'sync',
  objectName: 'user',
  description: 'Creates a user for an account that already exists',
  params: {
    account: param.string('Creates the user under the specified account. If no account is specified, the username will be used as the account name.', { required: true }),
    domainid: param.uuid('Creates the user under the specified domain. Has to be accompanied with the account parameter'),
    username: param.string('Unique username.', { required: true }),
    password: param.string('Hashed password (Default is MD5). If you wish to use any other hashing algorithm, you would need to write a custom authentication adapter See Docs section.', { required: true }),
    firstname: param.string('firstname', { required: true }),
    lastname: param.string('lastname', { required: true }),
    email: param.string('email', { required: true }),
    timezone: param.string('Specifies a timezone for this command. For more information on the timezone parameter, see Time Zone Format.'),
  },
  async execute(context, params) {
    const user = await context.services.users.create({
      account: params.account,
      username: params.username,
      password: params.password,
      firstName: params.firstname,
      lastName: params.lastname,
      email: params.email,
      ...defined({ domainId: params.domainid, timezone: params.timezone }),
    });
    return { type: 'object', object: await objectOf(context, user) };
  },
});

/** `updateUser`: changes a user's names, e-mail, time zone or password (everyone, for whom core allows). */
export const updateUser = defineCommand({
  ...catalogFacts('updateUser'),
  kind: 'sync',
  objectName: 'user',
  description: 'Updates a user account',
  params: {
    ...USER_ID,
    username: param.string('Unique username'),
    password: param.string('Hashed password (default is MD5). If you wish to use any other hashing algorithm, you would need to write a custom authentication adapter'),
    firstname: param.string('first name'),
    lastname: param.string('last name'),
    email: param.string('email'),
    timezone: param.string('Specifies a timezone for this command. For more information on the timezone parameter, see Time Zone Format.'),
  },
  async execute(context, params) {
    const user = await context.services.users.update({
      id: params.id,
      ...defined({ username: params.username, password: params.password, firstName: params.firstname, lastName: params.lastname, email: params.email, timezone: params.timezone }),
    });
    return { type: 'object', object: await objectOf(context, user) };
  },
});

/** `disableUser`: disables a user, as a job (admins). */
export const disableUser = defineCommand({
  ...catalogFacts('disableUser'),
  kind: 'async',
  objectName: 'user',
  description: 'Disables a user account',
  params: USER_ID,
  async start(context, params) {
    await context.services.users.get(params.id);
    return {
      instanceType: 'User',
      instanceId: params.id,
      async work() {
        return { type: 'object', object: await objectOf(context, await context.services.users.disable({ id: params.id })) };
      },
    };
  },
});

/** `enableUser`: re-enables a user (admins). */
export const enableUser = defineCommand({
  ...catalogFacts('enableUser'),
  kind: 'sync',
  objectName: 'user',
  description: 'Enables a user account',
  params: USER_ID,
  async execute(context, params) {
    return { type: 'object', object: await objectOf(context, await context.services.users.enable({ id: params.id })) };
  },
});

/** `lockUser`: locks a user (admins). */
export const lockUser = defineCommand({
  ...catalogFacts('lockUser'),
  kind: 'sync',
  objectName: 'user',
  description: 'Locks a user account',
  params: USER_ID,
  async execute(context, params) {
    return { type: 'object', object: await objectOf(context, await context.services.users.lock({ id: params.id })) };
  },
});

/** `deleteUser`: deletes a user (root and resource-domain admins). */
export const deleteUser = defineCommand({
  ...catalogFacts('deleteUser'),
  kind: 'sync',
  description: 'Deletes a user for an account',
  params: USER_ID,
  async execute(context, params) {
    await context.services.users.delete({ id: params.id });
    return { type: 'success' };
  },
});

/** `listUsers`: the users the caller may see (admins). */
export const listUsers = defineCommand({
  ...catalogFacts('listUsers'),
  kind: 'list',
  objectName: 'user',
  description: 'Lists user accounts',
  params: {
    id: param.uuid('List user by ID.'),
    username: param.string('List user by the username'),
    state: param.oneOf('List users by state of the user account.', ['enabled', 'disabled', 'locked']),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const page = await context.services.users.list({
      ...scopingInput(params),
      ...defined({ id: params.id, username: params.username, state: params.state, keyword: params.keyword }),
      ...pagingInput(params),
    });
    const names = new NameLookup(context.cloud.system);
    const items = [];
    for (const user of page.items) items.push(await userView(user, names, context.formatDate));
    return { items, count: page.total };
  },
});

/** `registerUserKeys`: a new API key pair for a user, answered as `userkeys` (reference §1.3). */
export const registerUserKeys = defineCommand({
  ...catalogFacts('registerUserKeys'),
  kind: 'sync',
  objectName: 'userkeys',
  description: 'This command allows a user to register for the developer API, returning a secret key and an API key. This request is made through the integration API port, so it is a privileged command and must be made on behalf of a user. It is up to the implementer just how the username and password are entered, and then how that translates to an integration API request. Both secret key and API key should be returned to the user',
  params: USER_ID,
  async execute(context, params) {
    const keys = await context.services.users.registerKeys({ id: params.id });
    return { type: 'object', object: { apikey: keys.apiKey, secretkey: keys.secretKey } };
  },
});
