import type { Pod, Region, VlanIpRange, Zone } from '@cloudstack-sdk/core';
import type { ApiObject } from './api-value.js';
import type { NameLookup } from './name-lookup.js';

/** A region as 4.1's `RegionResponse` shows it: the numeric id, name and endpoint. */
export function regionView(region: Region): ApiObject {
  return { id: Number(region.id), name: region.name, endpoint: region.endpoint };
}

/**
 * A zone as 4.1's `ZoneResponse` shows it (reference §5): `domain` is the zone's network
 * domain, `domainid`/`domainname` the domain it is dedicated to.
 */
export async function zoneView(zone: Zone, names: NameLookup): Promise<ApiObject> {
  return {
    id: zone.id,
    name: zone.name,
    description: zone.description,
    dns1: zone.dns1,
    dns2: zone.dns2,
    internaldns1: zone.internalDns1,
    internaldns2: zone.internalDns2,
    guestcidraddress: zone.guestCidr,
    domain: zone.networkDomain,
    domainid: zone.domainId,
    domainname: (await names.domain(zone.domainId))?.name,
    networktype: zone.networkType,
    securitygroupsenabled: zone.securityGroupsEnabled,
    allocationstate: zone.allocationState,
    localstorageenabled: zone.localStorageEnabled,
  };
}

/** A pod (reference §5). */
export async function podView(pod: Pod, names: NameLookup): Promise<ApiObject> {
  return {
    id: pod.id,
    name: pod.name,
    zoneid: pod.zoneId,
    zonename: await names.zone(pod.zoneId),
    gateway: pod.gateway,
    netmask: pod.netmask,
    startip: pod.startIp,
    endip: pod.endIp,
    allocationstate: pod.allocationState,
  };
}

/** A public or direct guest IP range as 4.1's `VlanIpRangeResponse` shows it, with its account when dedicated to one. */
export async function vlanIpRangeView(range: VlanIpRange, names: NameLookup): Promise<ApiObject> {
  return {
    id: range.id,
    forvirtualnetwork: range.purpose === 'Public',
    zoneid: range.zoneId,
    vlan: range.vlan,
    podid: range.podId,
    podname: await names.pod(range.podId),
    gateway: range.gateway,
    netmask: range.netmask,
    startip: range.startIp,
    endip: range.endIp,
    physicalnetworkid: range.physicalNetworkId,
    account: await names.account(range.accountId),
    domainid: range.domainId,
    domain: (await names.domain(range.domainId))?.name,
  };
}

/** A storage network IP range as 4.1's `StorageNetworkIpRangeResponse` shows it. */
export function storageNetworkIpRangeView(range: VlanIpRange): ApiObject {
  return {
    id: range.id,
    startip: range.startIp,
    endip: range.endIp,
    gateway: range.gateway,
    vlan: range.vlan,
    zoneid: range.zoneId,
    podid: range.podId,
    netmask: range.netmask,
  };
}
