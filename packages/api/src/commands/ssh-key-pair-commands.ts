import { param } from '../params/param-types.js';
import { sshKeyPairView } from '../response/account-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';

const OWNER = {
  account: param.string('an optional account for the ssh key. Must be used with domainId.'),
  domainid: param.uuid('an optional domainId for the ssh key. If the account parameter is used, domainId must also be used.'),
} as const;

/** `createSSHKeyPair`: generates a key pair; the private key is in this reply only (everyone). */
export const createSSHKeyPair = defineCommand({
  ...catalogFacts('createSSHKeyPair'),
  kind: 'sync',
  objectName: 'keypair',
  description: 'Create a new keypair and returns the private key',
  params: { name: param.string('Name of the keypair', { required: true }), ...OWNER },
  async execute(context, params) {
    const pair = await context.services.sshKeyPairs.create({ name: params.name, ...defined({ account: params.account, domainId: params.domainid }) });
    return { type: 'object', object: sshKeyPairView(pair) };
  },
});

/** `registerSSHKeyPair`: registers an existing public key (everyone). */
export const registerSSHKeyPair = defineCommand({
  ...catalogFacts('registerSSHKeyPair'),
  kind: 'sync',
  objectName: 'keypair',
  description: 'Register a public key in a keypair under a certain name',
  params: {
    name: param.string('Name of the keypair', { required: true }),
    publickey: param.string('Public key material of the keypair', { required: true, length: 5120 }),
    ...OWNER,
  },
  async execute(context, params) {
    const pair = await context.services.sshKeyPairs.register({ name: params.name, publicKey: params.publickey, ...defined({ account: params.account, domainId: params.domainid }) });
    return { type: 'object', object: sshKeyPairView(pair) };
  },
});

/** `deleteSSHKeyPair`: deletes a key pair by name (everyone). */
export const deleteSSHKeyPair = defineCommand({
  ...catalogFacts('deleteSSHKeyPair'),
  kind: 'sync',
  description: 'Deletes a keypair by name',
  params: { name: param.string('Name of the keypair', { required: true }), ...OWNER },
  async execute(context, params) {
    await context.services.sshKeyPairs.delete({ name: params.name, ...defined({ account: params.account, domainId: params.domainid }) });
    return { type: 'success' };
  },
});

/** `listSSHKeyPairs`: the key pairs the caller may see (everyone). */
export const listSSHKeyPairs = defineCommand({
  ...catalogFacts('listSSHKeyPairs'),
  kind: 'list',
  objectName: 'sshkeypair',
  description: 'List registered keypairs',
  params: {
    name: param.string('A key pair name to look for'),
    fingerprint: param.string('A public key fingerprint to look for'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const page = await context.services.sshKeyPairs.list({ ...scopingInput(params), ...defined({ name: params.name, fingerprint: params.fingerprint, keyword: params.keyword }), ...pagingInput(params) });
    return { items: page.items.map((pair) => sshKeyPairView(pair)), count: page.total };
  },
});
