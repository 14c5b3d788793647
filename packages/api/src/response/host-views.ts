import type { ClusterView, HostView, ImageStoreView } from '@cloudstack-sdk/core';
import type { ApiObject } from './api-value.js';
import type { NameLookup } from './name-lookup.js';

/** Formats a stored time as 4.1's reply dates. */
export type DateFormatter = (time: string | number) => string;

/** A cluster (reference §5). */
export async function clusterView(cluster: ClusterView, names: NameLookup): Promise<ApiObject> {
  return {
    id: cluster.id,
    name: cluster.name,
    podid: cluster.podId,
    podname: await names.pod(cluster.podId),
    zoneid: cluster.zoneId,
    zonename: await names.zone(cluster.zoneId),
    hypervisortype: cluster.hypervisorType,
    clustertype: cluster.clusterType,
    allocationstate: cluster.allocationState,
    managedstate: cluster.managedState,
  };
}

/** A hypervisor host (reference §5), with the facts core keeps about it. */
export async function hostView(host: HostView, names: NameLookup, formatDate: DateFormatter): Promise<ApiObject> {
  const cluster = await names.cluster(host.clusterId);
  return {
    id: host.id,
    name: host.name,
    state: host.state,
    disconnected: host.disconnectedAt === undefined ? undefined : formatDate(host.disconnectedAt),
    type: host.type,
    ipaddress: host.ipAddress,
    zoneid: host.zoneId,
    zonename: await names.zone(host.zoneId),
    podid: host.podId,
    podname: await names.pod(host.podId),
    hypervisor: host.hypervisorType,
    cpunumber: host.cpuNumber,
    cpuspeed: host.cpuSpeed,
    memorytotal: host.memoryTotal,
    capabilities: host.capabilities.length === 0 ? undefined : host.capabilities.join(','),
    lastpinged: host.lastPinged === undefined ? undefined : formatDate(host.lastPinged),
    clusterid: host.clusterId,
    clustername: cluster?.name,
    clustertype: cluster?.clusterType,
    created: formatDate(host.createdAt),
    hosttags: host.hostTags.length === 0 ? undefined : host.hostTags.join(','),
    resourcestate: host.resourceState,
    hypervisorversion: host.hypervisorVersion,
  };
}

/**
 * A secondary storage (NFS) store as 4.1 shows it: a host of type `SecondaryStorage` whose
 * name is its URL (`addSecondaryStorage` answers it under `secondarystorage`, `listHosts
 * type=SecondaryStorage` lists it).
 */
export async function secondaryStorageView(store: ImageStoreView, names: NameLookup, formatDate: DateFormatter): Promise<ApiObject> {
  return {
    id: store.id,
    name: store.name,
    state: store.state,
    type: 'SecondaryStorage',
    ipaddress: store.url.replace(/^nfs:\/\//, '').split('/')[0],
    zoneid: store.zoneId,
    zonename: await names.zone(store.zoneId),
    disksizetotal: store.capacityBytes,
    created: formatDate(store.createdAt),
  };
}

/** A Swift store as 4.1's `SwiftResponse` shows it. */
export function swiftView(store: ImageStoreView): ApiObject {
  return { id: store.id, url: store.url, zoneid: store.zoneId };
}
