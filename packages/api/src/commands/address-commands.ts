import { PublicIpState } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { PUBLIC_IP_RESPONSE_FIELDS, publicIpObject, publicIpViews } from './address-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';
import { unsupportedParameter } from './vm-support.js';

const NO_PROJECTS = 'projects are not supported by this cloud yet';
const NO_VPCS = 'VPCs are not supported by this cloud yet';

/**
 * `associateIpAddress` (async-create, everyone; Libcloud's `ex_allocate_public_ip`, and its
 * load-balancer driver's `create_balancer`): a public IP of the zone's public ranges acquired
 * for an isolated network — `networkid`, or with only `zoneid` the owner's one isolated network
 * there — for the caller's account or (admins) `account` in `domainid`.
 *
 * Core acquires the address and hands the network's router its new rule set in one call, so
 * the address is `Allocated` and on the router before the accept reply `{id, jobid}`; the job
 * answers `{"ipaddress":{…}}`. Refusals answer the request itself: 431 (network, zone), 532
 * (`public_ip` limit), 533 (no free address), 534 (the router refused; nothing is kept).
 */
export const associateIpAddress = defineCommand({
  ...catalogFacts('associateIpAddress'),
  kind: 'async-create',
  objectName: 'ipaddress',
  description: 'Acquires and associates a public IP to an account.',
  params: {
    account: param.string('the account to associate with this IP address'),
    domainid: param.uuid('the ID of the domain to associate with this IP address'),
    zoneid: param.uuid('the ID of the availability zone you want to acquire an public IP address from'),
    networkid: param.uuid('The network this ip address should be associated to.'),
    projectid: param.uuid('Deploy vm for the project'),
    vpcid: param.uuid('the VPC you want the ip address to be associated with'),
  },
  response: PUBLIC_IP_RESPONSE_FIELDS,
  related: ['listPublicIpAddresses', 'disassociateIpAddress'],
  async start(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', NO_PROJECTS);
    if (params.vpcid !== undefined) throw unsupportedParameter('vpcid', NO_VPCS);
    const acquired = await context.services.publicIps.associate(defined({ networkId: params.networkid, zoneId: params.zoneid, account: params.account, domainId: params.domainid }));
    return {
      instanceType: 'IpAddress',
      instanceId: acquired.id,
      async work() {
        return { type: 'object', object: await publicIpObject(context, await context.services.publicIps.get({ id: acquired.id })) };
      },
    };
  },
});

/**
 * `disassociateIpAddress` (async, everyone; Libcloud's `ex_release_public_ip`): releases an
 * address no rule uses (guide 13.11). The address is resolved at accept (431); the job fails
 * with core's reason for the source NAT address, an address with static NAT or rules, or a
 * router refusing the new set, and otherwise answers `{"success":true}`.
 */
export const disassociateIpAddress = defineCommand({
  ...catalogFacts('disassociateIpAddress'),
  kind: 'async',
  description: 'Disassociates an ip address from the account.',
  params: { id: param.uuid('the id of the public ip address to disassociate', { required: true }) },
  async start(context, params) {
    await context.services.publicIps.get({ id: params.id });
    return {
      instanceType: 'IpAddress',
      instanceId: params.id,
      async work() {
        await context.services.publicIps.disassociate({ id: params.id });
        return { type: 'success' };
      },
    };
  },
});

const STATES = new Map(PublicIpState.options.map((s) => [s.toLowerCase(), s]));

/**
 * `listPublicIpAddresses` (list, everyone; Libcloud's `list_nodes` and `ex_list_public_ips`):
 * the held public addresses the caller may see, filtered by `id`, `ipaddress`,
 * `associatednetworkid`, `issourcenat`, `isstaticnat`, `zoneid`, `vlanid` (the public range),
 * `state` and `keyword` (part of the address). Free addresses have no row and are never listed,
 * so `allocatedonly=false` lists the same; `forvirtualnetwork=false` (direct ranges) lists none.
 * `physicalnetworkid`, `forloadbalancing=true`, `vpcid` and `projectid` are refused naming them.
 */
export const listPublicIpAddresses = defineCommand({
  ...catalogFacts('listPublicIpAddresses'),
  kind: 'list',
  objectName: 'publicipaddress',
  description: 'Lists all public ip addresses',
  params: {
    id: param.uuid('lists ip address by id'),
    ipaddress: param.string('lists the specified IP address'),
    allocatedonly: param.boolean('limits search results to allocated public IP addresses'),
    forvirtualnetwork: param.boolean('the virtual network for the IP address'),
    forloadbalancing: param.boolean('list only ips used for load balancing'),
    vlanid: param.uuid('lists all public IP addresses by VLAN ID'),
    zoneid: param.uuid('lists all public IP addresses by Zone ID'),
    physicalnetworkid: param.uuid('lists all public IP addresses by physical network id'),
    associatednetworkid: param.uuid('lists all public IP addresses associated to the network specified'),
    issourcenat: param.boolean('list only source nat ip addresses'),
    isstaticnat: param.boolean('list only static nat ip addresses'),
    state: param.string('lists all public IP addresses in this state (Allocating, Allocated, Releasing)'),
    vpcid: param.uuid('List ips belonging to the VPC'),
    projectid: param.uuid('list objects by project'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: PUBLIC_IP_RESPONSE_FIELDS,
  async execute(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', NO_PROJECTS);
    if (params.vpcid !== undefined) throw unsupportedParameter('vpcid', NO_VPCS);
    if (params.physicalnetworkid !== undefined) throw unsupportedParameter('physicalnetworkid', 'listing addresses by physical network is not supported by this cloud yet; use vlanid or zoneid');
    if (params.forloadbalancing === true) throw unsupportedParameter('forloadbalancing', 'elastic load-balancing addresses are not supported by this cloud yet');
    const state = params.state === undefined ? undefined : STATES.get(params.state.toLowerCase());
    if (params.state !== undefined && state === undefined) return { items: [], count: 0 };
    const page = await context.services.publicIps.list({
      ...defined({
        id: params.id,
        ipAddress: params.ipaddress,
        allocatedOnly: params.allocatedonly,
        forVirtualNetwork: params.forvirtualnetwork,
        vlanId: params.vlanid,
        zoneId: params.zoneid,
        associatedNetworkId: params.associatednetworkid,
        isSourceNat: params.issourcenat,
        isStaticNat: params.isstaticnat,
        state,
        keyword: params.keyword === '' ? undefined : params.keyword,
      }),
      ...scopingInput(params),
      ...pagingInput(params),
    });
    return { items: await publicIpViews(context, page.items), count: page.total };
  },
});

/** The public IP address commands: associate, disassociate and list. */
export const ADDRESS_COMMANDS: readonly CommandDeclaration[] = [associateIpAddress, disassociateIpAddress, listPublicIpAddresses];
