import { formatVlanRange, type NetworkServiceProvider, type PhysicalNetwork, type PhysicalNetworkTrafficType } from '@cloudstack-sdk/core';
import type { ApiObject } from './api-value.js';

/** A physical network as 4.1's `PhysicalNetworkResponse` shows it. */
export function physicalNetworkView(network: PhysicalNetwork): ApiObject {
  return {
    id: network.id,
    name: network.name,
    broadcastdomainrange: network.broadcastDomainRange,
    zoneid: network.zoneId,
    state: network.state,
    vlan: network.vlanRanges.length === 0 ? undefined : network.vlanRanges.map(formatVlanRange).join(','),
    domainid: network.domainId,
    tags: network.tags.length === 0 ? undefined : network.tags.join(','),
    isolationmethods: network.isolationMethods.join(','),
    networkspeed: network.networkSpeed,
  };
}

/** A traffic type of a physical network as 4.1's `TrafficTypeResponse` shows it. */
export function trafficTypeView(type: PhysicalNetworkTrafficType): ApiObject {
  return {
    id: type.id,
    traffictype: type.trafficType,
    physicalnetworkid: type.physicalNetworkId,
    xennetworklabel: type.xenLabel,
    kvmnetworklabel: type.kvmLabel,
    vmwarenetworklabel: type.vmwareLabel,
  };
}

/** A network service provider as 4.1's `ProviderResponse` shows it. */
export function serviceProviderView(provider: NetworkServiceProvider): ApiObject {
  return {
    name: provider.name,
    physicalnetworkid: provider.physicalNetworkId,
    destinationphysicalnetworkid: provider.destinationPhysicalNetworkId,
    state: provider.state,
    id: provider.id,
    servicelist: provider.services,
  };
}
