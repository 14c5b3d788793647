import { param } from '../params/param-types.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';
import { unsupportedParameter } from './vm-support.js';
import { REMOTE_ACCESS_VPN_RESPONSE_FIELDS, VPN_USER_RESPONSE_FIELDS, remoteAccessVpnObject, vpnUserObject } from './vpn-views.js';

const NO_PROJECTS = 'projects are not supported by this cloud yet';

/** `account`, `domainid` and `projectid` of the VPN commands that act for an account. */
const OWNER_PARAMS = {
  account: param.string('an optional account for the VPN. Must be used with domainId.'),
  domainid: param.uuid('an optional domainId for the VPN. If the account parameter is used, domainId must also be used.'),
  projectid: param.uuid('add vpn user to the specific project'),
} as const;

/**
 * `createRemoteAccessVpn` (async-create, everyone; guide 13.17.1 "Enable VPN"): an L2TP/IPsec
 * VPN on a network's source NAT address, served by its virtual router. Core checks, stores and
 * applies it in one call, so it is `Running` before the accept reply; as 4.1 does, the reply's
 * `id` is the public IP's (4.1's VPN has no id of its own), and the job answers
 * `{"remoteaccessvpn":{…}}` with the pre-shared key. Refusals answer the request: 431 naming
 * the parameter (not the source NAT address, no Vpn service, a VPC tier, a VPN already there, a
 * bad `iprange`), 537 when a forwarding rule holds a VPN port, 534 when the router refuses.
 */
export const createRemoteAccessVpn = defineCommand({
  ...catalogFacts('createRemoteAccessVpn'),
  kind: 'async-create',
  objectName: 'remoteaccessvpn',
  description: 'Creates a l2tp/ipsec remote access vpn',
  params: {
    publicipid: param.uuid('public ip address id of the vpn server', { required: true }),
    iprange: param.string('the range of ip addresses to allocate to vpn clients. The first ip in the range will be taken by the vpn server'),
    openfirewall: param.boolean('if true, firewall rule for source/end pubic port is automatically created; if false - firewall rule has to be created explicitely. Has value true by default'),
    account: OWNER_PARAMS.account,
    domainid: OWNER_PARAMS.domainid,
  },
  response: REMOTE_ACCESS_VPN_RESPONSE_FIELDS,
  related: ['listRemoteAccessVpns', 'deleteRemoteAccessVpn'],
  async start(context, params) {
    const vpn = await context.services.remoteAccessVpns.create({
      publicIpId: params.publicipid,
      ...defined({ ipRange: params.iprange, openFirewall: params.openfirewall, account: params.account, domainId: params.domainid }),
    });
    return {
      instanceType: 'RemoteAccessVpn',
      instanceId: vpn.publicIpId,
      async work() {
        return { type: 'object', object: remoteAccessVpnObject(await context.services.remoteAccessVpns.get({ publicIpId: vpn.publicIpId })) };
      },
    };
  },
});

/**
 * `deleteRemoteAccessVpn` (async, everyone): the VPN is resolved by its public IP at accept
 * (431); the job takes it off the router (with the firewall rules it opened) and answers
 * `{"success":true}`, or fails with core's reason (the VPN then stays `Running`).
 */
export const deleteRemoteAccessVpn = defineCommand({
  ...catalogFacts('deleteRemoteAccessVpn'),
  kind: 'async',
  description: 'Destroys a l2tp/ipsec remote access vpn',
  params: { publicipid: param.uuid('public ip address id of the vpn server', { required: true }) },
  async start(context, params) {
    await context.services.remoteAccessVpns.get({ publicIpId: params.publicipid });
    return {
      instanceType: 'RemoteAccessVpn',
      instanceId: params.publicipid,
      async work() {
        await context.services.remoteAccessVpns.delete({ publicIpId: params.publicipid });
        return { type: 'success' };
      },
    };
  },
});

/**
 * `listRemoteAccessVpns` (list, everyone): the VPN on `publicipid` (required in 4.1; an address
 * the caller cannot see is 431), under the usual scoping.
 */
export const listRemoteAccessVpns = defineCommand({
  ...catalogFacts('listRemoteAccessVpns'),
  kind: 'list',
  objectName: 'remoteaccessvpn',
  description: 'Lists remote access vpns',
  params: {
    publicipid: param.uuid('public ip address id of the vpn server', { required: true }),
    projectid: param.uuid('list objects by project'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: REMOTE_ACCESS_VPN_RESPONSE_FIELDS,
  async execute(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', NO_PROJECTS);
    const page = await context.services.remoteAccessVpns.list({ publicIpId: params.publicipid, ...scopingInput(params), ...pagingInput(params) });
    return { items: page.items.map(remoteAccessVpnObject), count: page.total };
  },
});

/**
 * `addVpnUser` (async-create, everyone): a VPN user of the caller's account (or the one an admin
 * names), given to every VPN of the account. Core checks, stores and applies it in one call; the
 * accept reply's `id` is the user's and the job answers `{"vpnuser":{…}}`. Refusals answer the
 * request: 431 naming `username` or `password` (CloudStack's rules, a name the account has, the
 * account at `remote.access.vpn.user.limit`), 534 when a router refuses (the user is not kept).
 */
export const addVpnUser = defineCommand({
  ...catalogFacts('addVpnUser'),
  kind: 'async-create',
  objectName: 'vpnuser',
  description: 'Adds vpn users',
  params: {
    username: param.string('username for the vpn user', { required: true }),
    password: param.string('password for the username', { required: true }),
    ...OWNER_PARAMS,
  },
  response: VPN_USER_RESPONSE_FIELDS,
  related: ['listVpnUsers', 'removeVpnUser'],
  async start(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', NO_PROJECTS);
    const user = await context.services.vpnUsers.add({ username: params.username, password: params.password, ...defined({ account: params.account, domainId: params.domainid }) });
    return {
      instanceType: 'VpnUser',
      instanceId: user.id,
      async work() {
        return { type: 'object', object: vpnUserObject(user) };
      },
    };
  },
});

/**
 * `removeVpnUser` (async, everyone): the user is looked up at accept (431 naming `username` when
 * the account has none); the job takes it off every VPN of the account and answers
 * `{"success":true}`, or fails with core's reason (the user then stays).
 */
export const removeVpnUser = defineCommand({
  ...catalogFacts('removeVpnUser'),
  kind: 'async',
  description: 'Removes vpn user',
  params: {
    username: param.string('username for the vpn user', { required: true }),
    ...OWNER_PARAMS,
  },
  async start(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', NO_PROJECTS);
    const owner = defined({ account: params.account, domainId: params.domainid });
    const user = await context.services.vpnUsers.get({ username: params.username, ...owner });
    return {
      instanceType: 'VpnUser',
      instanceId: user.id,
      async work() {
        await context.services.vpnUsers.remove({ username: params.username, ...owner });
        return { type: 'success' };
      },
    };
  },
});

/** `listVpnUsers` (list, everyone): the active VPN users the caller may see, by username. */
export const listVpnUsers = defineCommand({
  ...catalogFacts('listVpnUsers'),
  kind: 'list',
  objectName: 'vpnuser',
  description: 'Lists vpn users',
  params: {
    id: param.uuid('The uuid of the Vpn user'),
    username: param.string('the username of the vpn user.'),
    projectid: param.uuid('list objects by project'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: VPN_USER_RESPONSE_FIELDS,
  async execute(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', NO_PROJECTS);
    const page = await context.services.vpnUsers.list({
      ...defined({ id: params.id, username: params.username, keyword: params.keyword === '' ? undefined : params.keyword }),
      ...scopingInput(params),
      ...pagingInput(params),
    });
    return { items: page.items.map(vpnUserObject), count: page.total };
  },
});

/** The remote-access VPN commands: the VPN on a source NAT address, and the accounts' VPN users. */
export const VPN_COMMANDS: readonly CommandDeclaration[] = [createRemoteAccessVpn, deleteRemoteAccessVpn, listRemoteAccessVpns, addVpnUser, removeVpnUser, listVpnUsers];
