import { pageWindow, type Network } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type AsyncPlan, type CommandContext, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';
import { NETWORK_RESPONSE_FIELDS, networkObject, networkViews } from './network-views.js';
import { unsupportedParameter } from './vm-support.js';

/** The `id` parameter of the network commands. */
const NETWORK_ID_PARAMS = { id: param.uuid('the ID of the network', { required: true }) } as const;

/** Refuses the 4.1 parameters of features core does not have (projects, VPC tiers, IPv6), naming the first one given. */
function refuseUnsupported(params: Readonly<Record<string, unknown>>, names: readonly (readonly [string, string])[]): void {
  for (const [name, reason] of names) if (params[name] !== undefined) throw unsupportedParameter(name, reason);
}

const NO_PROJECTS = 'projects are not supported by this cloud yet';
const NO_VPCS = 'VPCs are not supported by this cloud yet';
const NO_IPV6 = 'IPv6 guest networks are not supported by this cloud yet';

/**
 * `createNetwork` (sync, everyone; Libcloud's `ex_create_network`): an isolated network owned
 * by the caller's account (or, for admins, `account`/`domainid`), or — admins — a shared one
 * with its VLAN, gateway, netmask and range, zone-wide, domain or account scoped. Answers the
 * `network` (Allocated until its first VM, Implemented at once for a persistent offering).
 * Refusals (431 parameter, 531 permission, 532 `network` limit) leave nothing behind.
 */
export const createNetwork = defineCommand({
  ...catalogFacts('createNetwork'),
  kind: 'sync',
  objectName: 'network',
  description: 'Creates a network',
  params: {
    name: param.string('the name of the network', { required: true }),
    displaytext: param.string('the display text of the network', { required: true }),
    networkofferingid: param.uuid('the network offering id', { required: true }),
    zoneid: param.uuid('the Zone ID for the network', { required: true }),
    physicalnetworkid: param.uuid('the Physical Network ID the network belongs to'),
    gateway: param.string('the gateway of the network. Required for Shared networks and Isolated networks when it belongs to VPC'),
    netmask: param.string('the netmask of the network. Required for Shared networks and Isolated networks when it belongs to VPC'),
    startip: param.string('the beginning IP address in the network IP range'),
    endip: param.string('the ending IP address in the network IP range. If not specified, will be defaulted to startIP'),
    vlan: param.string('the ID or VID of the network'),
    networkdomain: param.string('network domain'),
    acltype: param.oneOf('Access control type; supported values are account and domain. In 3.0 all shared networks should have aclType=Domain, and all Isolated networks - Account. Account means that only the account owner can use the network, domain - all accouns in the domain can use the network', ['Account', 'Domain']),
    account: param.string('account who will own the network'),
    domainid: param.uuid('domain ID of the account owning a network'),
    subdomainaccess: param.boolean('Defines whether to allow subdomains to use networks dedicated to their parent domain(s). Should be used with aclType=Domain, defaulted to allow.subdomain.network.access global config if not specified'),
    projectid: param.uuid('an optional project for the ssh key'),
    vpcid: param.uuid('the VPC network belongs to'),
    startipv6: param.string('the beginning IPv6 address in the IPv6 network range'),
    endipv6: param.string('the ending IPv6 address in the IPv6 network range'),
    ip6gateway: param.string('the gateway of the IPv6 network. Required for Shared networks and Isolated networks when it belongs to VPC'),
    ip6cidr: param.string('the CIDR of IPv6 network, must be at least /64'),
  },
  response: NETWORK_RESPONSE_FIELDS,
  related: ['listNetworks', 'updateNetwork', 'deleteNetwork', 'restartNetwork'],
  async execute(context, params) {
    refuseUnsupported(params, [
      ['projectid', NO_PROJECTS],
      ['vpcid', NO_VPCS],
      ['startipv6', NO_IPV6],
      ['endipv6', NO_IPV6],
      ['ip6gateway', NO_IPV6],
      ['ip6cidr', NO_IPV6],
    ]);
    const network = await context.services.networks.create({
      name: params.name,
      displayText: params.displaytext,
      networkOfferingId: params.networkofferingid,
      zoneId: params.zoneid,
      ...defined({
        physicalNetworkId: params.physicalnetworkid,
        gateway: params.gateway,
        netmask: params.netmask,
        startIp: params.startip,
        endIp: params.endip,
        vlan: params.vlan,
        networkDomain: params.networkdomain,
        aclType: params.acltype,
        account: params.account,
        domainId: params.domainid,
        subdomainAccess: params.subdomainaccess,
      }),
    });
    return { type: 'object', object: await networkObject(context, network) };
  },
});

/** Networks matching the filters core has no input for: offering services, `specifyipranges`, `forvpc`. */
async function withOfferingFilters(
  context: CommandContext,
  networks: readonly Network[],
  filters: { readonly supportedservices?: readonly string[]; readonly specifyipranges?: boolean; readonly forvpc?: boolean },
): Promise<Network[]> {
  const wanted = (filters.supportedservices ?? []).map((s) => s.toLowerCase());
  if (wanted.length === 0 && filters.specifyipranges === undefined && filters.forvpc === undefined) return [...networks];
  const offerings = await context.cloud.store.transaction(async (tx) => new Map((await tx.repo('networkOfferings').find({ where: { id: { in: [...new Set(networks.map((n) => n.networkOfferingId))] } } })).items.map((o) => [o.id, o])));
  return networks.filter((network) => {
    const offering = offerings.get(network.networkOfferingId);
    if (offering === undefined) return false;
    const services = new Set(offering.services.map((s) => s.service.toLowerCase()));
    if (!wanted.every((s) => services.has(s))) return false;
    if (filters.specifyipranges !== undefined && offering.specifyIpRanges !== filters.specifyipranges) return false;
    if (filters.forvpc !== undefined && (network.vpcId !== undefined) !== filters.forvpc) return false;
    return true;
  });
}

/**
 * `listNetworks` (list, everyone; Libcloud's `ex_list_networks`): the guest networks the caller
 * may see — its own account's (admins: by the scoping rule of reference §2.5) and the shared
 * networks of its domain path — filtered by `id`, `zoneid`, `type`, `acltype`,
 * `physicalnetworkid`, `restartrequired`, `canusefordeploy`, `supportedservices`,
 * `specifyipranges`, `forvpc` and `keyword`. `issystem=true` or a traffic type other than
 * Guest matches nothing: core's system networks are not network objects.
 */
export const listNetworks = defineCommand({
  ...catalogFacts('listNetworks'),
  kind: 'list',
  objectName: 'network',
  description: 'Lists all available networks.',
  params: {
    id: param.uuid('list networks by id'),
    zoneid: param.uuid('the Zone ID of the network'),
    type: param.oneOf('the type of the network. Supported values are: Isolated and Shared', ['Isolated', 'Shared']),
    issystem: param.boolean('true if network is system, false otherwise'),
    acltype: param.oneOf('list networks by ACL (access control list) type. Supported values are Account and Domain', ['Account', 'Domain']),
    traffictype: param.string('type of the traffic'),
    physicalnetworkid: param.uuid('list networks by physical network id'),
    supportedservices: param.list('list networks supporting certain services'),
    restartrequired: param.boolean('list networks by restartRequired'),
    specifyipranges: param.boolean('true if need to list only networks which support specifying ip ranges'),
    vpcid: param.uuid('List networks by VPC'),
    canusefordeploy: param.boolean('list networks available for vm deployment'),
    forvpc: param.boolean('the network belongs to vpc'),
    projectid: param.uuid('list objects by project'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: NETWORK_RESPONSE_FIELDS,
  async execute(context, params) {
    refuseUnsupported(params, [['projectid', NO_PROJECTS], ['vpcid', NO_VPCS]]);
    const all = await context.services.networks.list({
      ...defined({
        id: params.id,
        zoneId: params.zoneid,
        type: params.type,
        isSystem: params.issystem,
        aclType: params.acltype,
        trafficType: params.traffictype,
        physicalNetworkId: params.physicalnetworkid,
        restartRequired: params.restartrequired,
        canUseForDeploy: params.canusefordeploy,
        keyword: params.keyword === '' ? undefined : params.keyword,
      }),
      ...scopingInput(params),
      pageSize: -1,
    });
    const matches = await withOfferingFilters(context, all.items, params);
    const window = pageWindow(pagingInput(params), await context.config.number('default.page.size'));
    const page = matches.slice(window.offset, window.limit === undefined ? undefined : window.offset + window.limit);
    const items: ApiObject[] = await networkViews(context, page);
    return { items, count: matches.length };
  },
});

/**
 * The plan of an async network command: the network is resolved at accept (431 when the caller
 * cannot see it, as 4.1 resolves the `id` before queuing); the job runs `step`. 4.1's network
 * jobs name no instance (its job types have no network), so none is recorded.
 */
async function networkJob(context: CommandContext, id: string, step: () => Promise<Network | undefined>): Promise<AsyncPlan> {
  await context.services.networks.get({ id });
  return {
    async work() {
      const network = await step();
      return network === undefined ? { type: 'success' } : { type: 'object', object: await networkObject(context, network) };
    },
  };
}

/**
 * `updateNetwork` (async, everyone): name, display text, network domain (re-applied to the
 * router's DNS) and offering (same guest type; a change of providers needs the network's VMs
 * stopped first). The CIDR is kept; `changecidr=true` is refused, core keeping it always.
 */
export const updateNetwork = defineCommand({
  ...catalogFacts('updateNetwork'),
  kind: 'async',
  objectName: 'network',
  description: 'Updates a network',
  params: {
    ...NETWORK_ID_PARAMS,
    name: param.string('the new name for the network'),
    displaytext: param.string('the new display text for the network'),
    networkdomain: param.string('network domain'),
    changecidr: param.boolean('Force update even if cidr type is different'),
    networkofferingid: param.uuid('network offering ID'),
  },
  response: NETWORK_RESPONSE_FIELDS,
  async start(context, params) {
    if (params.changecidr === true) throw unsupportedParameter('changecidr', 'a network keeps its CIDR when its offering changes in this cloud');
    return networkJob(context, params.id, () =>
      context.services.networks.update({ id: params.id, ...defined({ name: params.name, displayText: params.displaytext, networkDomain: params.networkdomain, networkOfferingId: params.networkofferingid }) }),
    );
  },
});

/**
 * `deleteNetwork` (async, everyone; Libcloud's `ex_delete_network`): a network no VM uses —
 * its router, public IPs and rules, VLAN, address pool and `network` count go; `{"success":true}`.
 * A network still used fails the job (536's text).
 */
export const deleteNetwork = defineCommand({
  ...catalogFacts('deleteNetwork'),
  kind: 'async',
  description: 'Deletes a network',
  params: NETWORK_ID_PARAMS,
  async start(context, params) {
    return networkJob(context, params.id, async () => {
      await context.services.networks.delete({ id: params.id });
      return undefined;
    });
  },
});

/**
 * `restartNetwork` (async, everyone): an implemented network's rule set applied again, or with
 * `cleanup` (4.1's default: true) its router destroyed and a new one started and configured.
 * Answers the network.
 */
export const restartNetwork = defineCommand({
  ...catalogFacts('restartNetwork'),
  kind: 'async',
  objectName: 'network',
  description: 'Restarts the network; includes 1) restarting network elements - virtual routers, dhcp servers 2) reapplying all public ips 3) reapplying loadBalancing/portForwarding rules',
  params: { ...NETWORK_ID_PARAMS, cleanup: param.boolean('If cleanup old network elements') },
  response: NETWORK_RESPONSE_FIELDS,
  async start(context, params) {
    return networkJob(context, params.id, () => context.services.networks.restart({ id: params.id, cleanup: params.cleanup ?? true }));
  },
});

/** The guest network commands: create, list, update, delete and restart. */
export const NETWORK_CORE_COMMANDS: readonly CommandDeclaration[] = [createNetwork, listNetworks, updateNetwork, deleteNetwork, restartNetwork];
