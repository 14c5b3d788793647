import { guestNetworkIpPoolKey, isRootAdmin, type CallContext, type Network, type NetworkOffering, type Zone } from '@cloudstack-sdk/core';
import type { ApiObject } from '../response/api-value.js';
import type { CommandContext, ResponseFieldDoc } from './command.js';
import { networkOfferingView } from './network-offering-commands.js';

/** The fields of a `network` reply object, for `listApis`. */
export const NETWORK_RESPONSE_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'id', description: 'the id of the network', type: 'string' },
  { name: 'name', description: 'the name of the network', type: 'string' },
  { name: 'displaytext', description: 'the displaytext of the network', type: 'string' },
  { name: 'broadcastdomaintype', description: 'Broadcast domain type of the network', type: 'string' },
  { name: 'traffictype', description: 'the traffic type of the network', type: 'string' },
  { name: 'gateway', description: 'the network\'s gateway', type: 'string' },
  { name: 'netmask', description: 'the network\'s netmask', type: 'string' },
  { name: 'cidr', description: 'the cidr the network', type: 'string' },
  { name: 'zoneid', description: 'zone id of the network', type: 'string' },
  { name: 'zonename', description: 'the name of the zone the network belongs to', type: 'string' },
  { name: 'networkofferingid', description: 'network offering id the network is created from', type: 'string' },
  { name: 'networkofferingname', description: 'name of the network offering the network is created from', type: 'string' },
  { name: 'networkofferingdisplaytext', description: 'display text of the network offering the network is created from', type: 'string' },
  { name: 'networkofferingavailability', description: 'availability of the network offering the network is created from', type: 'string' },
  { name: 'issystem', description: 'true if network is system, false otherwise', type: 'boolean' },
  { name: 'state', description: 'state of the network', type: 'string' },
  { name: 'related', description: 'related to what other network configuration', type: 'string' },
  { name: 'broadcasturi', description: 'broadcast uri of the network', type: 'string' },
  { name: 'dns1', description: 'the first DNS for the network', type: 'string' },
  { name: 'dns2', description: 'the second DNS for the network', type: 'string' },
  { name: 'type', description: 'the type of the network', type: 'string' },
  { name: 'vlan', description: 'The vlan of the network. This parameter is visible to ROOT admins only', type: 'string' },
  { name: 'acltype', description: 'acl type - access type to the network', type: 'string' },
  { name: 'subdomainaccess', description: 'true if users from subdomains can access the domain level network', type: 'boolean' },
  { name: 'account', description: 'the owner of the network', type: 'string' },
  { name: 'domainid', description: 'the domain id of the network owner', type: 'string' },
  { name: 'domain', description: 'the domain name of the network owner', type: 'string' },
  { name: 'service', description: 'the list of services', type: 'list' },
  { name: 'networkdomain', description: 'the network domain', type: 'string' },
  { name: 'physicalnetworkid', description: 'the physical network id', type: 'string' },
  { name: 'restartrequired', description: 'true network requires restart', type: 'boolean' },
  { name: 'specifyipranges', description: 'true if network supports specifying ip ranges, false otherwise', type: 'boolean' },
  { name: 'vpcid', description: 'VPC the network belongs to', type: 'string' },
  { name: 'canusefordeploy', description: 'list networks available for vm deployment', type: 'boolean' },
  { name: 'ispersistent', description: 'list networks that are persistent', type: 'boolean' },
];

/** What a page of `network` objects shows beside ids. */
export interface NetworkPageFacts {
  /** Zones by id (name, DNS servers). */
  readonly zones: ReadonlyMap<string, Zone>;
  /** Network offerings by id. */
  readonly offerings: ReadonlyMap<string, NetworkOffering>;
  /** The `service` list of each offering, by offering id. */
  readonly services: ReadonlyMap<string, ApiObject[]>;
  /** Account names by id. */
  readonly accounts: ReadonlyMap<string, string>;
  /** Domain names by id. */
  readonly domains: ReadonlyMap<string, string>;
  /** Free guest addresses of each network, by network id. */
  readonly freeAddresses: ReadonlyMap<string, number>;
}

/**
 * Reads what a page of networks shows beside ids — zone (name, DNS), offering (names,
 * availability, services with providers and capabilities), owner account and domain names, and
 * the free guest addresses behind `canusefordeploy` — in one store transaction. It reads the
 * store, not the caller's services, because a user who may see a network may not list its
 * physical network or every offering.
 */
export async function networkPageFacts(context: CommandContext, networks: readonly Network[]): Promise<NetworkPageFacts> {
  const ids = (values: readonly (string | undefined)[]) => [...new Set(values.filter((v): v is string => v !== undefined))];
  const facts = await context.cloud.store.transaction(async (tx) => {
    const zones = (await tx.repo('zones').find({ where: { id: { in: ids(networks.map((n) => n.zoneId)) } } })).items;
    const offerings = (await tx.repo('networkOfferings').find({ where: { id: { in: ids(networks.map((n) => n.networkOfferingId)) } } })).items;
    const accounts = (await tx.repo('accounts').find({ where: { id: { in: ids(networks.map((n) => n.accountId)) } } })).items;
    const domains = (await tx.repo('domains').find({ where: { id: { in: ids(networks.map((n) => n.domainId)) } } })).items;
    const freeAddresses = new Map<string, number>();
    for (const network of networks) freeAddresses.set(network.id, (await tx.pools.stats(guestNetworkIpPoolKey(network.id))).free);
    return {
      zones: new Map(zones.map((z) => [z.id, z])),
      offerings: new Map(offerings.map((o) => [o.id, o])),
      accounts: new Map(accounts.map((a) => [a.id, a.name])),
      domains: new Map(domains.map((d) => [d.id, d.name])),
      freeAddresses,
    };
  });
  const services = new Map<string, ApiObject[]>();
  for (const offering of facts.offerings.values()) services.set(offering.id, ((await networkOfferingView(context, offering)).service as ApiObject[] | undefined) ?? []);
  return { ...facts, services };
}

/**
 * The `broadcasturi` of a network with a VLAN: `vlan://<id>` (`vlan://untagged` for an untagged
 * shared network), as 4.1 writes it; an isolated network has none until it is implemented.
 */
export function broadcastUriOf(vlan: string | undefined): string | undefined {
  return vlan === undefined ? undefined : `vlan://${vlan}`;
}

/**
 * A guest network as 4.1's `NetworkResponse` shows it (reference §5 `network`), in its field
 * order: the zone's name and guest DNS servers, the offering's names, availability and services
 * (with providers and capabilities), the broadcast URI once a VLAN is held (the bare `vlan` to
 * root admins only, as 4.1), `related` (the network itself), the owner, and `canusefordeploy`
 * (a free guest address is left, as 4.1's `canUseForDeploy`). Projects and tags, which core has
 * no notion of, are not emitted.
 */
export function networkView(network: Network, facts: NetworkPageFacts, caller: CallContext): ApiObject {
  const zone = facts.zones.get(network.zoneId);
  const offering = facts.offerings.get(network.networkOfferingId);
  return {
    id: network.id,
    name: network.name,
    displaytext: network.displayText,
    broadcastdomaintype: 'Vlan',
    traffictype: 'Guest',
    gateway: network.gateway,
    netmask: network.netmask,
    cidr: network.cidr,
    zoneid: network.zoneId,
    zonename: zone?.name,
    networkofferingid: network.networkOfferingId,
    networkofferingname: offering?.name,
    networkofferingdisplaytext: offering?.displayText,
    networkofferingavailability: offering?.availability,
    issystem: false,
    state: network.state,
    related: network.id,
    broadcasturi: broadcastUriOf(network.vlan),
    dns1: zone?.dns1,
    dns2: zone?.dns2,
    type: network.guestType,
    vlan: isRootAdmin(caller) ? network.vlan : undefined,
    acltype: network.aclType,
    subdomainaccess: network.aclType === 'Domain' ? network.subdomainAccess : undefined,
    account: network.accountId === undefined ? undefined : facts.accounts.get(network.accountId),
    domainid: network.domainId,
    domain: facts.domains.get(network.domainId),
    service: facts.services.get(network.networkOfferingId) ?? [],
    networkdomain: network.networkDomain,
    physicalnetworkid: network.physicalNetworkId,
    restartrequired: network.restartRequired,
    specifyipranges: offering?.specifyIpRanges,
    vpcid: network.vpcId,
    canusefordeploy: (facts.freeAddresses.get(network.id) ?? 0) > 0,
    ispersistent: network.isPersistent,
  };
}

/** Views of a page of networks, the facts beside ids read once for the page. */
export async function networkViews(context: CommandContext, networks: readonly Network[]): Promise<ApiObject[]> {
  const facts = await networkPageFacts(context, networks);
  return networks.map((n) => networkView(n, facts, context.caller));
}

/** One network as a reply object. */
export async function networkObject(context: CommandContext, network: Network): Promise<ApiObject> {
  const [object] = await networkViews(context, [network]);
  if (object === undefined) throw new Error(`no view of network ${network.id}`);
  return object;
}
