import type { Router } from '@cloudstack-sdk/core';
import type { ApiObject } from '../response/api-value.js';
import type { CommandContext, ResponseFieldDoc } from './command.js';

/** The link-local (control) network's netmask: 169.254.0.0/16, as 4.1 gives its routers. */
const LINK_LOCAL_NETMASK = '255.255.0.0';

/** The fields of a `router` / `domainrouter` reply object, for `listApis`. */
export const ROUTER_RESPONSE_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'id', description: 'the id of the router', type: 'string' },
  { name: 'zoneid', description: 'the Zone ID for the router', type: 'string' },
  { name: 'zonename', description: 'the Zone name for the router', type: 'string' },
  { name: 'dns1', description: 'the first DNS for the router', type: 'string' },
  { name: 'dns2', description: 'the second DNS for the router', type: 'string' },
  { name: 'networkdomain', description: 'the network domain for the router', type: 'string' },
  { name: 'gateway', description: 'the gateway for the router', type: 'string' },
  { name: 'name', description: 'the name of the router', type: 'string' },
  { name: 'podid', description: 'the Pod ID for the router', type: 'string' },
  { name: 'hostid', description: 'the host ID for the router', type: 'string' },
  { name: 'hostname', description: 'the hostname for the router', type: 'string' },
  { name: 'linklocalip', description: 'the link local IP address for the router', type: 'string' },
  { name: 'linklocalnetmask', description: 'the link local netmask for the router', type: 'string' },
  { name: 'publicip', description: 'the public IP address for the router', type: 'string' },
  { name: 'publicmacaddress', description: 'the public MAC address for the router', type: 'string' },
  { name: 'publicnetmask', description: 'the public netmask for the router', type: 'string' },
  { name: 'guestipaddress', description: 'the guest IP address for the router', type: 'string' },
  { name: 'guestmacaddress', description: 'the guest MAC address for the router', type: 'string' },
  { name: 'guestnetmask', description: 'the guest netmask for the router', type: 'string' },
  { name: 'guestnetworkid', description: 'the ID of the corresponding guest network', type: 'string' },
  { name: 'created', description: 'the date and time the router was created', type: 'date' },
  { name: 'state', description: 'the state of the router', type: 'string' },
  { name: 'account', description: 'the account associated with the router', type: 'string' },
  { name: 'domainid', description: 'the domain ID associated with the router', type: 'string' },
  { name: 'domain', description: 'the domain associated with the router', type: 'string' },
  { name: 'serviceofferingid', description: 'the ID of the service offering of the virtual machine', type: 'string' },
  { name: 'serviceofferingname', description: 'the name of the service offering of the virtual machine', type: 'string' },
  { name: 'isredundantrouter', description: 'if this router is an redundant virtual router', type: 'boolean' },
  { name: 'redundantstate', description: 'the state of redundant virtual router', type: 'string' },
];

/**
 * Views of routers as 4.1's `DomainRouterResponse` shows them (reference §5 `router`), names
 * beside ids read from the store in one transaction (an admin listing routers may not list every
 * zone, host or offering through its own services). `gateway` is the public gateway, `dns1`/`dns2`
 * the zone's guest DNS servers, `networkdomain` and `guestnetmask` the guest network's; routers
 * are never redundant in this cloud (`redundantstate` UNKNOWN, as 4.1 shows a plain router).
 * Core keeps no template or NIC rows for routers, so `templateid` and `nic` are not emitted.
 * `state` overrides the stored state (a destroyed router's last view).
 */
export async function routerViews(context: CommandContext, routers: readonly Router[], state?: string): Promise<ApiObject[]> {
  const ids = (values: readonly (string | undefined)[]) => [...new Set(values.filter((v): v is string => v !== undefined))];
  const facts = await context.cloud.store.transaction(async (tx) => {
    const byId = <T extends { readonly id: string }>(rows: readonly T[]) => new Map(rows.map((r) => [r.id, r]));
    return {
      zones: byId((await tx.repo('zones').find({ where: { id: { in: ids(routers.map((r) => r.zoneId)) } } })).items),
      hosts: byId((await tx.repo('hosts').find({ where: { id: { in: ids(routers.map((r) => r.hostId)) } } })).items),
      networks: byId((await tx.repo('networks').find({ where: { id: { in: ids(routers.map((r) => r.networkId)) } } })).items),
      accounts: byId((await tx.repo('accounts').find({ where: { id: { in: ids(routers.map((r) => r.accountId)) } } })).items),
      domains: byId((await tx.repo('domains').find({ where: { id: { in: ids(routers.map((r) => r.domainId)) } } })).items),
      offerings: byId((await tx.repo('serviceOfferings').find({ where: { id: { in: ids(routers.map((r) => r.serviceOfferingId)) } } })).items),
    };
  });
  return routers.map((router) => {
    const zone = facts.zones.get(router.zoneId);
    const network = facts.networks.get(router.networkId);
    const onHost = state === undefined;
    return {
      id: router.id,
      zoneid: router.zoneId,
      zonename: zone?.name,
      dns1: zone?.dns1,
      dns2: zone?.dns2,
      networkdomain: network?.networkDomain,
      gateway: router.publicGateway,
      name: router.name,
      podid: onHost ? router.podId : undefined,
      hostid: onHost ? router.hostId : undefined,
      hostname: onHost && router.hostId !== undefined ? facts.hosts.get(router.hostId)?.name : undefined,
      linklocalip: router.linkLocalIp,
      linklocalnetmask: LINK_LOCAL_NETMASK,
      publicip: router.publicIp,
      publicmacaddress: router.publicMac,
      publicnetmask: router.publicNetmask,
      guestipaddress: router.guestIp,
      guestmacaddress: router.guestMac,
      guestnetmask: network?.netmask,
      guestnetworkid: router.networkId,
      created: context.formatDate(router.createdAt),
      state: state ?? router.state,
      account: facts.accounts.get(router.accountId)?.name,
      domainid: router.domainId,
      domain: facts.domains.get(router.domainId)?.name,
      serviceofferingid: router.serviceOfferingId,
      serviceofferingname: facts.offerings.get(router.serviceOfferingId)?.name,
      isredundantrouter: false,
      redundantstate: 'UNKNOWN',
    };
  });
}

/** One router as a reply object. */
export async function routerObject(context: CommandContext, router: Router, state?: string): Promise<ApiObject> {
  const [object] = await routerViews(context, [router], state);
  if (object === undefined) throw new Error(`no view of router ${router.id}`);
  return object;
}
