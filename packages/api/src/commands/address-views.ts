import { isRootAdmin, type PublicIpView } from '@cloudstack-sdk/core';
import type { ApiObject } from '../response/api-value.js';
import type { CommandContext, ResponseFieldDoc } from './command.js';

/** The fields of a `publicipaddress` / `ipaddress` reply object, for `listApis`. */
export const PUBLIC_IP_RESPONSE_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'id', description: 'public IP address id', type: 'string' },
  { name: 'ipaddress', description: 'public IP address', type: 'string' },
  { name: 'allocated', description: 'date the public IP address was acquired', type: 'date' },
  { name: 'zoneid', description: 'the ID of the zone the public IP address belongs to', type: 'string' },
  { name: 'zonename', description: 'the name of the zone the public IP address belongs to', type: 'string' },
  { name: 'issourcenat', description: 'true if the IP address is a source nat address, false otherwise', type: 'boolean' },
  { name: 'account', description: 'the account the public IP address is associated with', type: 'string' },
  { name: 'domainid', description: 'the domain ID the public IP address is associated with', type: 'string' },
  { name: 'domain', description: 'the domain the public IP address is associated with', type: 'string' },
  { name: 'forvirtualnetwork', description: 'the virtual network for the IP address', type: 'boolean' },
  { name: 'vlanid', description: 'the ID of the VLAN associated with the IP address. This parameter is visible to ROOT admins only', type: 'string' },
  { name: 'vlanname', description: 'the VLAN associated with the IP address. This parameter is visible to ROOT admins only', type: 'string' },
  { name: 'isstaticnat', description: 'true if this ip is for static nat, false otherwise', type: 'boolean' },
  { name: 'issystem', description: 'true if this ip is system ip (was allocated as a part of deployVm or createLbRule)', type: 'boolean' },
  { name: 'virtualmachineid', description: 'virutal machine id the ip address is assigned to (not null only for static nat Ip)', type: 'string' },
  { name: 'virtualmachinename', description: 'virutal machine name the ip address is assigned to (not null only for static nat Ip)', type: 'string' },
  { name: 'virtualmachinedisplayname', description: 'virutal machine display name the ip address is assigned to (not null only for static nat Ip)', type: 'string' },
  { name: 'associatednetworkid', description: 'the ID of the Network associated with the IP address', type: 'string' },
  { name: 'associatednetworkname', description: 'the name of the Network associated with the IP address', type: 'string' },
  { name: 'state', description: 'State of the ip address. Can be: Allocatin, Allocated and Releasing', type: 'string' },
  { name: 'physicalnetworkid', description: 'the physical network this belongs to', type: 'string' },
  { name: 'vpcid', description: 'VPC the ip belongs to', type: 'string' },
];

/**
 * Views of public IP addresses as 4.1's `IPAddressResponse` shows them (reference §5
 * `publicipaddress`), in its field order: `allocated` (when acquired), the public range as
 * `vlanid` (its id) and `vlanname` (its VLAN tag) to root admins only (as 4.1), its physical
 * network, the static NAT VM,
 * the associated guest network. `forvirtualnetwork` is always true (every address is of a
 * virtual `Public` range) and `issystem` false (no elastic IPs yet). 4.1 fills `purpose` and
 * `networkid` (the zone's Public network object) for system addresses only, so neither is
 * emitted. Owner names and ranges are read in one store transaction for the page.
 */
export async function publicIpViews(context: CommandContext, ips: readonly PublicIpView[]): Promise<ApiObject[]> {
  const ids = (values: readonly string[]) => [...new Set(values)];
  const facts = await context.cloud.store.transaction(async (tx) => ({
    accounts: new Map((await tx.repo('accounts').find({ where: { id: { in: ids(ips.map((ip) => ip.accountId)) } } })).items.map((a) => [a.id, a.name])),
    domains: new Map((await tx.repo('domains').find({ where: { id: { in: ids(ips.map((ip) => ip.domainId)) } } })).items.map((d) => [d.id, d.name])),
    ranges: new Map((await tx.repo('vlanIpRanges').find({ where: { id: { in: ids(ips.map((ip) => ip.rangeId)) } } })).items.map((r) => [r.id, r])),
  }));
  const rootAdmin = isRootAdmin(context.caller);
  return ips.map((ip) => ({
    id: ip.id,
    ipaddress: ip.address,
    allocated: context.formatDate(ip.createdAt),
    zoneid: ip.zoneId,
    zonename: ip.zoneName,
    issourcenat: ip.isSourceNat,
    account: facts.accounts.get(ip.accountId),
    domainid: ip.domainId,
    domain: facts.domains.get(ip.domainId),
    forvirtualnetwork: true,
    vlanid: rootAdmin ? ip.rangeId : undefined,
    vlanname: rootAdmin ? ip.vlan : undefined,
    isstaticnat: ip.isStaticNat,
    issystem: false,
    virtualmachineid: ip.staticNatVmId,
    virtualmachinename: ip.virtualMachineName,
    virtualmachinedisplayname: ip.virtualMachineDisplayName,
    associatednetworkid: ip.networkId,
    associatednetworkname: ip.associatedNetworkName,
    state: ip.state,
    physicalnetworkid: facts.ranges.get(ip.rangeId)?.physicalNetworkId,
    vpcid: ip.vpcId,
  }));
}

/** One public IP as a reply object. */
export async function publicIpObject(context: CommandContext, ip: PublicIpView): Promise<ApiObject> {
  const [object] = await publicIpViews(context, [ip]);
  if (object === undefined) throw new Error(`no view of public IP ${ip.id}`);
  return object;
}
